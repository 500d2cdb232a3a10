"""Delivery that never blocks a request: a bounded in-memory queue, drained by one background thread
per process in batches, straight to the gateway while it answers, else into the durable spool and
from there with backoff.

A request thread only does `queue.put_nowait`. When the queue or the spool is full the event is
dropped, counted in `stats()` and warned about in the log: never an exception in the request.
"""
import atexit
import json
import logging
import os
import queue
import random
import threading
import time
from collections import Counter

from .sender import Refused, Retry, Sender, TooLarge
from .spool import Spool, SpoolFull

log = logging.getLogger("kibotics_analytics")


def without_address(kind, body):
    """What may be written to disk: events lose client_ip, log lines their address field (4th)."""
    if kind == "event":
        return json.dumps({k: v for k, v in body.items() if k != "client_ip"}, separators=(",", ":"))
    fields = body.split(" | ")
    if fields[0].strip() in ("1", "2", "3", "4") and len(fields) > 3:
        fields[3] = ""
    return " | ".join(fields)


def from_spool(kind, text):
    return json.loads(text) if kind == "event" else text


class Client:
    def __init__(self, conf, clock=time.monotonic):
        self.conf = conf
        self.clock = clock
        self.queue = queue.Queue(conf.QUEUE_SIZE)
        self.spool = Spool(conf.SPOOL_PATH, conf.SPOOL_MAX_EVENTS)
        self.sender = Sender(conf.URL, conf.TOKEN, conf.TIMEOUT)
        self.counts = Counter()
        self._lock = threading.Lock()
        self._inflight = []  # items taken from the queue and neither delivered nor spooled yet
        self._unfinished = 0  # items queued here and neither delivered nor spooled yet (flush waits for 0)
        self._thread = None
        self._pid = None
        self._not_before = 0.0  # monotonic time before which nothing is sent (backoff, Retry-After)
        self._failures = 0
        self._limit = conf.BATCH_SIZE
        self._last_warning = {}

    # --- request side -------------------------------------------------------------------------

    def enqueue(self, kind, route, body):
        """Never raises, never waits."""
        try:
            self._ensure_thread()
            with self._lock:
                self.queue.put_nowait((kind, route, body))
                self._unfinished += 1
            self.counts["queued"] += 1
        except queue.Full:
            self._drop("dropped_queue_full", 1, "the in-memory queue is full (QUEUE_SIZE)")
        except Exception:  # noqa: BLE001 — analytics must never break a page
            self._drop("dropped_error", 1, "could not queue an event", exc_info=True)

    def _ensure_thread(self):
        # After a fork (gunicorn --preload, multiprocessing) the parent's thread does not exist here.
        if self._pid == os.getpid() and self._thread is not None:
            return
        with self._lock:
            if self._pid == os.getpid() and self._thread is not None:
                return
            if self._pid is not None:
                self.queue = queue.Queue(self.conf.QUEUE_SIZE)
                self._inflight = []
                self._unfinished = 0
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="kibotics-analytics", daemon=True)
            self._thread.start()

    def start(self):
        """Starts the thread now (the app does at start-up), so a spool left by a previous run is delivered."""
        self._ensure_thread()

    def _drop(self, counter, n, why, exc_info=False):
        self.counts[counter] += n
        now = time.monotonic()
        # One warning a minute per cause: a full queue under load must not flood the log.
        if now - self._last_warning.get(counter, -1e9) >= 60:
            self._last_warning[counter] = now
            log.warning(
                "kibotics_analytics: dropped %d event(s): %s (%s so far)",
                n,
                why,
                self.counts[counter],
                exc_info=exc_info,
            )

    def stats(self):
        """Counters since this process started: queued, delivered, spooled, rejected, retries, dropped_*."""
        return dict(self.counts)

    # --- the background thread ----------------------------------------------------------------

    def _run(self):
        db = self.spool.connect()
        backlog = self.spool.size(db) > 0
        carry = []  # taken from the queue, neither delivered nor spooled yet: kept across a failed round
        while True:
            try:
                if not carry:
                    idle_wait = 0 if backlog and self.clock() >= self._not_before else self.conf.FLUSH_INTERVAL
                    carry = self._take(idle_wait)
                if carry:
                    direct = not backlog and self.clock() >= self._not_before
                    rest = self._send_direct(carry) if direct else carry
                    if rest:
                        self._to_spool(db, rest)
                    with self._lock:
                        self._inflight = []
                        self._unfinished -= len(carry)
                    carry = []
                backlog = self._drain_one(db)
            except Exception:  # noqa: BLE001 — the thread must survive anything (a locked file, a full disk)
                # `carry` is tried again (the gateway drops any repeat by its id); the queue keeps its bound meanwhile.
                log.exception("kibotics_analytics: delivery loop error; retrying")
                self._backoff(None)
                time.sleep(min(1.0, self.conf.RETRY_MAX))

    def _take(self, wait):
        """Up to BATCH_SIZE items, waiting at most `wait` for the first and FLUSH_INTERVAL to fill the batch."""
        try:
            first = self.queue.get(timeout=wait) if wait > 0 else self.queue.get_nowait()
        except queue.Empty:
            return []
        # In flight from the moment it left the queue: flush() must not see "nothing pending" meanwhile.
        items = [first]
        with self._lock:
            self._inflight = items
        deadline = time.monotonic() + self.conf.FLUSH_INTERVAL
        while len(items) < self.conf.BATCH_SIZE:
            try:
                items.append(self.queue.get_nowait())
            except queue.Empty:
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.01)
        return items

    def _send_direct(self, batch):
        """Sends fresh items with their addresses; returns what must go to the spool instead."""
        groups = {}
        for kind, route, body in batch:
            groups.setdefault((kind, route), []).append(body)
        left = []
        for (kind, route), bodies in groups.items():
            i = 0
            while i < len(bodies):
                if self.clock() < self._not_before:
                    left.extend((kind, route, b) for b in bodies[i:])
                    break
                chunk = bodies[i : i + self._limit]
                try:
                    self._deliver(kind, route, chunk)
                    i += len(chunk)
                except TooLarge:
                    if not self._shrink(chunk):
                        i += 1
                except Refused as err:
                    self._drop("rejected", len(chunk), f"the gateway refused them: {err}")
                    i += len(chunk)
                except Retry as err:
                    self._backoff(err)
        return left

    def _to_spool(self, db, batch):
        items = [(kind, route, without_address(kind, body)) for kind, route, body in batch]
        try:
            self.spool.append(db, items)
            self.counts["spooled"] += len(items)
        except SpoolFull as full:
            self.counts["spooled"] += len(items) - full.args[0]
            self._drop("dropped_spool_full", full.args[0], "the local spool is full (SPOOL_MAX_EVENTS)")

    def _drain_one(self, db):
        """Sends one batch from the spool when allowed; returns whether the spool still holds anything."""
        if self.clock() < self._not_before:
            return True
        key, rows = self.spool.claim(db, self._limit, lease_s=2 * self.conf.TIMEOUT + 5)
        if not rows:
            return False
        kind, route = key
        seqs = [seq for seq, _ in rows]
        try:
            self._deliver(kind, route, [from_spool(kind, text) for _, text in rows])
            self.spool.delete(db, seqs)
        except TooLarge:
            if self._shrink(rows):
                self.spool.release(db, seqs)
            else:
                self.spool.delete(db, seqs)
        except Refused as err:
            self.spool.delete(db, seqs)
            self._drop("rejected", len(seqs), f"the gateway refused them: {err}")
        except Retry as err:
            self.spool.release(db, seqs)
            self._backoff(err)
        return True

    def _deliver(self, kind, route, bodies):
        rejected = self.sender.send(kind, route, bodies)
        self.counts["delivered"] += len(bodies) - rejected
        if rejected:
            self._drop("rejected", rejected, "the gateway rejected them one by one (see its answer's errors)")
        self._failures = 0
        self._limit = min(self.conf.BATCH_SIZE, self._limit * 2)

    def _shrink(self, chunk):
        """Halves the batch after a 413; a single item that is still too large is dropped (returns False)."""
        if len(chunk) <= 1:
            self._drop("dropped_too_large", 1, "one event is larger than the gateway accepts (413)")
            return False
        self._limit = max(1, len(chunk) // 2)
        return True

    def _backoff(self, err):
        self.counts["retries"] += 1
        self._failures += 1
        wait = min(self.conf.RETRY_MAX, 0.25 * 2 ** min(self._failures, 20)) * random.uniform(0.5, 1.0)
        if err is not None and err.after is not None:
            wait = max(wait, err.after)
        self._not_before = self.clock() + wait
        if self._failures in (1, 5) or self._failures % 20 == 0:
            log.warning(
                "kibotics_analytics: %s; retrying in %.1f s (the spool keeps the events)",
                err or "delivery failed",
                wait,
            )

    # --- flush and exit -----------------------------------------------------------------------

    def pending(self):
        """Events not yet delivered: in memory here, and in the spool (every process's)."""
        with self._lock:
            unfinished = max(0, self._unfinished)
        with self.spool.connect() as db:
            return unfinished + self.spool.size(db)

    def flush(self, timeout):
        """Waits until everything queued here and everything spooled is delivered; True if it was in time."""
        deadline = time.monotonic() + timeout
        if self.queue.qsize() or self._inflight:
            self._ensure_thread()
        while self.pending():
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
        return True

    def shutdown(self):
        """At exit: deliver for up to EXIT_TIMEOUT, then spool what is still in memory for the next start."""
        if self._pid != os.getpid():
            return
        try:
            self._shutdown()
        except Exception:  # noqa: BLE001 — at exit, say what happened instead of a traceback
            log.warning(
                "kibotics_analytics: could not keep the queued events at exit (%s pending)",
                self._unfinished,
                exc_info=True,
            )

    def _shutdown(self):
        self.flush(self.conf.EXIT_TIMEOUT)
        with self._lock:
            left = list(self._inflight)
            self._inflight = []
            while True:
                try:
                    left.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            self._unfinished = 0
        if left:
            # Possibly also being sent by the thread right now: the gateway drops the duplicate by its id.
            with self.spool.connect() as db:
                self._to_spool(db, left)


_client = None
_client_lock = threading.Lock()


def client():
    """This process's client, created on first use from the settings."""
    global _client
    if _client is None:
        from .conf import conf

        with _client_lock:
            if _client is None:
                _client = Client(conf())
                atexit.register(_client.shutdown)
    return _client


def reset_client():
    """Forgets the client (tests that change the settings)."""
    global _client
    if _client is not None:
        atexit.unregister(_client.shutdown)
    _client = None
