"""The durable local spool: one SQLite file shared by every process of the site.

It holds what could not be delivered yet (events and old-format log lines) and the open simulations,
so a gateway outage, a restart or an end reported by another process loses nothing. Client
addresses are never written here: what is spooled has lost its `client_ip` (its country becomes
unknown) — children's addresses stay off the disk.
"""
import json
import sqlite3
import time

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,            -- 'event' or 'log'
  route TEXT NOT NULL,           -- '' for events, the time zone for log lines
  body TEXT NOT NULL,            -- the event's JSON, or the log line
  lease_until REAL NOT NULL DEFAULT 0  -- a process is sending it until then (another may retry after)
);
CREATE TABLE IF NOT EXISTS open_simulations (
  id TEXT PRIMARY KEY,
  user TEXT NOT NULL,
  started_at TEXT NOT NULL,
  start TEXT NOT NULL            -- the start event's JSON, without client_ip
);
CREATE INDEX IF NOT EXISTS open_simulations_user ON open_simulations (user, started_at);
"""


class SpoolFull(Exception):
    """The spool holds SPOOL_MAX_EVENTS: the new items are dropped (counted by the caller)."""


class Spool:
    def __init__(self, path, max_events, busy_timeout=5.0):
        self.path = path
        self.max_events = max_events
        self.busy_timeout = busy_timeout
        with self._connect() as db:
            db.executescript(SCHEMA)

    def _connect(self):
        db = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        # FULL: an item is on the disk before the caller forgets it.
        db.execute("PRAGMA synchronous=FULL")
        return _Conn(db)

    def connect(self):
        return self._connect()

    # --- outbox -------------------------------------------------------------------------------

    def append(self, db, items):
        """Adds (kind, route, body) items; raises SpoolFull with the number that did not fit."""
        db.execute("BEGIN IMMEDIATE")
        try:
            (count,) = db.execute("SELECT count(*) FROM outbox").fetchone()
            room = max(0, self.max_events - count)
            db.executemany("INSERT INTO outbox (kind, route, body) VALUES (?, ?, ?)", items[:room])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if room < len(items):
            raise SpoolFull(len(items) - room)

    def claim(self, db, limit, lease_s):
        """The oldest unleased items of one kind and route, leased to this process for lease_s."""
        now = time.time()
        db.execute("BEGIN IMMEDIATE")
        try:
            first = db.execute(
                "SELECT kind, route FROM outbox WHERE lease_until < ? ORDER BY seq LIMIT 1", (now,)
            ).fetchone()
            if first is None:
                db.execute("COMMIT")
                return None, []
            rows = db.execute(
                "SELECT seq, body FROM outbox WHERE lease_until < ? AND kind = ? AND route = ? ORDER BY seq LIMIT ?",
                (now, first[0], first[1], limit),
            ).fetchall()
            db.executemany("UPDATE outbox SET lease_until = ? WHERE seq = ?", [(now + lease_s, seq) for seq, _ in rows])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return (first[0], first[1]), rows

    def release(self, db, seqs):
        db.executemany("UPDATE outbox SET lease_until = 0 WHERE seq = ?", [(s,) for s in seqs])

    def delete(self, db, seqs):
        db.executemany("DELETE FROM outbox WHERE seq = ?", [(s,) for s in seqs])

    def size(self, db):
        return db.execute("SELECT count(*) FROM outbox").fetchone()[0]

    # --- open simulations ---------------------------------------------------------------------

    def open_simulation(self, db, sim_id, user, started_at, start):
        db.execute(
            "INSERT OR REPLACE INTO open_simulations (id, user, started_at, start) VALUES (?, ?, ?, ?)",
            (sim_id, user, started_at, json.dumps(start)),
        )

    def take_simulation(self, db, sim_id=None, user=None, exercise=None, simulation_type=None):
        """Removes and returns the start of a simulation: by id, or the latest open one of a user."""
        db.execute("BEGIN IMMEDIATE")
        try:
            if sim_id is not None:
                rows = db.execute("SELECT id, start FROM open_simulations WHERE id = ?", (sim_id,)).fetchall()
            else:
                rows = db.execute(
                    "SELECT id, start FROM open_simulations WHERE user = ? ORDER BY started_at DESC", (user,)
                ).fetchall()
            found = None
            for rid, start in rows:
                start = json.loads(start)
                if exercise is not None and start.get("exercise") != exercise:
                    continue
                if simulation_type is not None and start.get("simulation_type") != simulation_type:
                    continue
                found = start
                db.execute("DELETE FROM open_simulations WHERE id = ?", (rid,))
                break
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return found


class _Conn:
    """A connection usable as a context manager that closes it (sqlite3's own only commits)."""

    def __init__(self, db):
        self.db = db

    def execute(self, *a):
        return self.db.execute(*a)

    def executemany(self, *a):
        return self.db.executemany(*a)

    def executescript(self, *a):
        return self.db.executescript(*a)

    def close(self):
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.db.close()
