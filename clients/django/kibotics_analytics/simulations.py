"""Simulation (exercise run) starts and ends, reportable from any process of the site.

The start is kept in the shared spool file under its id until its end, so an end reported by a
Channels consumer, a cleanup job or another worker finds the start's user, exercise, type and time.
"""
import logging
import re
import time
import uuid

from django.utils import timezone

from .events import event, record, user_name

log = logging.getLogger("kibotics_analytics")

ID = re.compile(r"^sim-(\d{13})-[0-9a-f]{16}$")


def simulation_started(user, exercise, simulation_type, host=None, *, request=None, at=None):
    """Records a start; returns its id (`sim-<start ms>-<random>`) for `simulation_ended`."""
    at = timezone.now() if at is None else at
    sim_id = f"sim-{int(at.timestamp() * 1000):013d}-{uuid.uuid4().hex[:16]}"
    e = event(
        "simulation_start",
        at=at,
        request=request,
        user=user,
        exercise=exercise,
        simulation_type=simulation_type,
        host=host,
        session_id=sim_id,
    )
    try:
        from .client import client

        spool = client().spool
        with spool.connect() as db:
            spool.open_simulation(
                db, sim_id, e.get("user", ""), e["time"], {k: v for k, v in e.items() if k != "client_ip"}
            )
    except Exception:  # noqa: BLE001 — the start is still sent; only pairing from another process may suffer
        log.exception("kibotics_analytics: could not keep simulation %s open in the spool", sim_id)
    record(e)
    return sim_id


def simulation_ended(id_or_user, exercise=None, simulation_type=None, host=None, *, user=None, request=None, at=None):
    """Records the end of a simulation: by the id `simulation_started` returned, or for a user (a User
    or a name) their latest open simulation (of that exercise and type when given).

    An end whose start is not in this site's spool (reported on another machine) is sent with the
    `user`, `exercise` and `simulation_type` given here and, for an id, the start time the id
    carries. Returns False (and logs why) when nothing could be sent; never raises for that.
    """
    from .client import client

    by_id = ID.match(id_or_user) if isinstance(id_or_user, str) else None
    if not by_id:
        user = id_or_user
    start = None
    try:
        spool = client().spool
        with spool.connect() as db:
            if by_id:
                start = spool.take_simulation(db, sim_id=id_or_user)
            elif user_name(user):
                start = spool.take_simulation(
                    db, user=user_name(user), exercise=exercise, simulation_type=simulation_type
                )
    except Exception:  # noqa: BLE001
        log.exception("kibotics_analytics: could not read open simulations from the spool")
    if start is not None:
        # Stored names are already pseudonyms when PSEUDONYM_SECRET is set: copied, not recomputed.
        fields = {
            k: start.get(k)
            for k in ("user", "group", "user_agent", "exercise", "simulation_type", "host", "session_id")
        }
        started_at = start["time"]
    else:
        if not (user_name(user) and exercise and simulation_type):
            log.warning(
                "kibotics_analytics: simulation_ended: no open start known here; pass user, exercise and simulation_type"
            )
            return False
        fields = {"user": user_name(user), "exercise": exercise, "simulation_type": simulation_type}
        started_at = None
        if by_id:
            ms = int(by_id.group(1))
            fields["session_id"] = id_or_user
            started_at = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + f".{ms % 1000:03d}Z"
    if host is not None:
        fields["host"] = host
    if started_at:
        fields["started_at"] = started_at
    e = event("simulation_end", at=at, request=request, **{k: v for k, v in fields.items() if k != "user"})
    e["user"] = fields["user"]
    record(e)
    return True
