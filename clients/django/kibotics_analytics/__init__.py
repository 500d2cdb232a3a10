"""Kibotics Analytics for Django: sends Kibotics' events to the Kibotics Analytics gateway.

Public API: `simulation_started`, `simulation_ended`, `session_expired`, `flush`, `stats`.
"""
__version__ = "0.1.0"


def simulation_started(user, exercise, simulation_type, host=None, **kwargs):
    from .simulations import simulation_started as f

    return f(user, exercise, simulation_type, host, **kwargs)


def simulation_ended(id_or_user, exercise=None, simulation_type=None, host=None, **kwargs):
    from .simulations import simulation_ended as f

    return f(id_or_user, exercise, simulation_type, host, **kwargs)


def session_expired(user, **kwargs):
    from .signals import session_expired as f

    return f(user, **kwargs)


def flush(timeout=10.0):
    """Waits until every event queued in this process, and every spooled one, reached the gateway.
    Returns True if that happened within `timeout` seconds."""
    from .client import client

    return client().flush(timeout)


def stats():
    """This process's delivery counters (queued, delivered, spooled, rejected, retries, dropped_*)."""
    from .client import client

    return client().stats()
