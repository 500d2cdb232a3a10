"""Events in the gateway's contract (README "Events"), built from Django's request and user."""
import base64
import hashlib
import hmac
import logging
import ipaddress
import uuid

from django.utils import timezone
from django.utils.module_loading import import_string

from .conf import conf
from .contract import EVENT_TYPES, clip


def pseudonym(user, secret):
    """The gateway's USER_ID_MODE=hmac pseudonym (ingest/src/enrich/pseudonym.ts): `u_` and the first
    22 characters of the unpadded base64url HMAC-SHA256 of the name under the secret."""
    digest = hmac.new(secret.encode(), user.encode(), hashlib.sha256).digest()
    return "u_" + base64.urlsafe_b64encode(digest).decode().rstrip("=")[:22]


def now_iso(at=None):
    """RFC 3339 in UTC with milliseconds; `at` must be aware (naive times were the old probes' bug)."""
    at = timezone.now() if at is None else at
    if timezone.is_naive(at):
        raise ValueError("time: must be timezone-aware (use django.utils.timezone.now(), not datetime.now())")
    return at.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def user_name(user):
    """The name sent for a user (a User, a name, or None), as a pseudonym when PSEUDONYM_SECRET is set."""
    if user is None:
        return None
    if not isinstance(user, str):
        if not getattr(user, "is_authenticated", False):
            return None
        user = user.get_username()
    secret = conf().PSEUDONYM_SECRET
    return pseudonym(user, secret) if secret else user


def group_of(user):
    path = conf().GROUP
    if not path or user is None or isinstance(user, str) or not getattr(user, "is_authenticated", False):
        return None
    group = import_string(path)(user)
    return str(group) if group else None


def client_ip(request):
    """REMOTE_ADDR, or the proxy header's address when REMOTE_ADDR is a trusted proxy.

    In X-Forwarded-For the rightmost address that is not a trusted proxy is the client as our own
    proxies saw it; anything left of it was written by the client and may be forged.
    """
    c = conf()
    remote = request.META.get("REMOTE_ADDR", "")
    if not c.PROXY_HEADER or not _trusted(remote, c.TRUSTED_PROXY_NETWORKS):
        return _valid(remote)
    hops = [h.strip() for h in request.META.get(c.PROXY_HEADER, "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, c.TRUSTED_PROXY_NETWORKS):
            return _valid(hop)
    return _valid(hops[0]) if hops else _valid(remote)


def _trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in n for n in networks)


def _valid(address):
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def event(type_, *, at=None, request=None, user=None, **fields):
    """One event: a fresh id (so a retry is stored once), a UTC time, the request's client details."""
    if type_ not in EVENT_TYPES:
        raise ValueError(f"type: {type_!r} is not an event type of the gateway's ({', '.join(sorted(EVENT_TYPES))})")
    e = {"type": type_, "id": uuid.uuid4().hex, "time": now_iso(at)}
    name = user_name(user)
    if name:
        e["user"] = name
        group = group_of(user)
        if group:
            e["group"] = clip("group", group)
    if request is not None:
        ip = client_ip(request)
        if ip:
            e["client_ip"] = ip
        ua = request.META.get("HTTP_USER_AGENT")
        if ua:
            e["user_agent"] = clip("user_agent", ua)
    e.update({k: v for k, v in fields.items() if v is not None})
    return e


def record(e):
    """Hands an event to this process's background delivery (never raises, never waits)."""
    try:
        if not conf().ENABLED:
            return
        from .client import client

        client().enqueue("event", "", e)
    except Exception:  # noqa: BLE001 — e.g. an unwritable SPOOL_PATH: logged, never raised into a page
        logging.getLogger("kibotics_analytics").exception("kibotics_analytics: could not record an event")
