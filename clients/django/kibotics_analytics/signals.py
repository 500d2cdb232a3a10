"""Logins, logouts, expired sessions and server errors, from Django's own signals."""
import sys
import uuid

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.signals import got_request_exception

from .events import event, now_iso, record

# Where the session keeps its analytics id and start: the end then pairs exactly (by session_id)
# and carries its start's time, without the session key (a credential) ever leaving the site.
SESSION_KEY = "_kibotics_analytics"


def on_login(sender, request, user, **kwargs):
    sid = uuid.uuid4().hex
    started = now_iso()
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = {"id": sid, "started_at": started}
    record(event("session_start", request=request, user=user, session_id=sid))


def on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    info = request.session.get(SESSION_KEY, {}) if request is not None and hasattr(request, "session") else {}
    record(
        session_end_event(user, "logout", request=request, session_id=info.get("id"), started_at=info.get("started_at"))
    )


def session_end_event(user, reason, *, request=None, session_id=None, started_at=None, at=None):
    # started_at: the end pairs by itself on any gateway instance, whichever received the start.
    return event(
        "session_end", at=at, request=request, user=user, session_id=session_id, reason=reason, started_at=started_at
    )


def session_expired(user, *, session_id=None, started_at=None, at=None):
    """Reports a session that ended by inactivity (reason `inactivity`), e.g. from a cleanup job.

    `user`: a User or a user name; `at`: when it ended (aware datetime, default now); `session_id`
    and `started_at` as kept in the session under SESSION_KEY, when known.
    """
    record(session_end_event(user, "inactivity", session_id=session_id, started_at=started_at, at=at))


def on_exception(sender, request=None, **kwargs):
    """A 500: its status, path without query and the exception's class. Nothing from the request's
    data or user: an error message may quote personal data, a class name does not."""
    exc = sys.exc_info()[1]
    path = request.path if request is not None else None
    record(event("error", status=500, path=path, message=type(exc).__name__ if exc is not None else "unknown"))


def connect():
    user_logged_in.connect(on_login, dispatch_uid="kibotics_analytics.login")
    user_logged_out.connect(on_logout, dispatch_uid="kibotics_analytics.logout")
    got_request_exception.connect(on_exception, dispatch_uid="kibotics_analytics.error")
