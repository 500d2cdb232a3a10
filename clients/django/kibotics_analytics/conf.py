"""The `KIBOTICS_ANALYTICS` settings dict: every key, its default, and the checks on it.

One place for every key, so the package README's table and the code cannot drift: the README lists
`DEFAULTS` in this order.
"""
import ipaddress
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

DEFAULTS = {
    # The gateway's base URL (required), e.g. "https://analytics.example.org".
    "URL": None,
    # One of the gateway's INGEST_TOKENS, sent as `Authorization: Bearer <token>`.
    "TOKEN": None,
    # False: nothing is recorded or sent (a development site, or tests of the site itself).
    "ENABLED": True,
    # The local SQLite spool (shared by every process of the site). None: BASE_DIR/kibotics_analytics.sqlite3.
    "SPOOL_PATH": None,
    # Most events the spool holds while the gateway is unreachable; beyond it new events are dropped (counted).
    "SPOOL_MAX_EVENTS": 200_000,
    # Most events waiting in memory for the background thread; beyond it new events are dropped (counted).
    "QUEUE_SIZE": 10_000,
    # Most events per request to the gateway (halved while the gateway answers 413).
    "BATCH_SIZE": 500,
    # Seconds an event may wait in memory to fill a batch.
    "FLUSH_INTERVAL": 0.2,
    # Seconds to wait for the gateway's answer.
    "TIMEOUT": 5.0,
    # Longest wait in seconds between retries while the gateway fails (unless its Retry-After says longer).
    "RETRY_MAX": 60.0,
    # Seconds spent delivering at interpreter exit; what is left stays in the spool for the next start.
    "EXIT_TIMEOUT": 2.0,
    # A secret (>= 16 characters): users are sent as the gateway's USER_ID_MODE=hmac pseudonyms (`u_…`).
    "PSEUDONYM_SECRET": None,
    # Dotted path of a function(user) -> str or None: the user's class or group.
    "GROUP": None,
    # The META key of a header with the client's address set by your proxy, e.g. "HTTP_X_FORWARDED_FOR".
    # It is read only when REMOTE_ADDR is one of TRUSTED_PROXIES.
    "PROXY_HEADER": None,
    # Addresses or networks of the proxies whose PROXY_HEADER is believed.
    "TRUSTED_PROXIES": ["127.0.0.1", "::1"],
    # Record page visits (with the middleware installed).
    "VISITS": True,
    # Path prefixes whose visits are not recorded.
    "SKIP_PATHS": ["/static/", "/media/", "/favicon.ico", "/robots.txt", "/health"],
    # URL namespaces whose visits are not recorded.
    "SKIP_NAMESPACES": ["admin"],
    # The zone of the naive times in old-format log lines sent by LogHandler. None: TIME_ZONE.
    "LOG_TIMEZONE": None,
    # Where the site serves Grafana (same origin, behind the site's nginx): the iframes' base.
    "GRAFANA_URL": "/grafana",
    # Grafana's organisation id in embed URLs.
    "GRAFANA_ORG_ID": 1,
    # The Grafana user (auth proxy) that everyone but staff is, on dashboards without names.
    # None: only staff reach Grafana. See the README: any Grafana viewer can query names.
    "GRAFANA_EMBED_USER": None,
}


def _networks(values):
    out = []
    for v in values:
        try:
            out.append(ipaddress.ip_network(v, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"KIBOTICS_ANALYTICS['TRUSTED_PROXIES']: {v!r} is not an address or network (e.g. '10.0.0.0/8')"
            )
    return tuple(out)


class Settings:
    """The effective settings: the site's dict over DEFAULTS, checked once."""

    def __init__(self, given):
        unknown = sorted(set(given) - set(DEFAULTS))
        if unknown:
            raise ImproperlyConfigured(f"KIBOTICS_ANALYTICS: unknown key {unknown[0]!r} (known: {', '.join(DEFAULTS)})")
        merged = {**DEFAULTS, **given}
        for key, value in merged.items():
            setattr(self, key, value)
        if self.ENABLED and not self.URL:
            raise ImproperlyConfigured(
                "KIBOTICS_ANALYTICS['URL']: is required, the gateway's base URL (e.g. 'http://127.0.0.1:8080')"
            )
        if self.URL:
            self.URL = self.URL.rstrip("/")
            if not self.URL.startswith(("http://", "https://")):
                raise ImproperlyConfigured(
                    f"KIBOTICS_ANALYTICS['URL']: {self.URL!r} must start with http:// or https://"
                )
        for key in ("SPOOL_MAX_EVENTS", "QUEUE_SIZE", "BATCH_SIZE"):
            if not isinstance(merged[key], int) or merged[key] < 1:
                raise ImproperlyConfigured(
                    f"KIBOTICS_ANALYTICS[{key!r}]: must be a positive integer, not {merged[key]!r}"
                )
        for key in ("FLUSH_INTERVAL", "TIMEOUT", "RETRY_MAX", "EXIT_TIMEOUT"):
            if not isinstance(merged[key], (int, float)) or merged[key] < 0:
                raise ImproperlyConfigured(
                    f"KIBOTICS_ANALYTICS[{key!r}]: must be a number of seconds >= 0, not {merged[key]!r}"
                )
        if self.PSEUDONYM_SECRET is not None and len(self.PSEUDONYM_SECRET) < 16:
            raise ImproperlyConfigured(
                "KIBOTICS_ANALYTICS['PSEUDONYM_SECRET']: must have at least 16 characters (the gateway's USER_ID_SECRET rule)"
            )
        self.TRUSTED_PROXY_NETWORKS = _networks(self.TRUSTED_PROXIES)
        if self.SPOOL_PATH is None:
            base = getattr(settings, "BASE_DIR", None) or os.getcwd()
            self.SPOOL_PATH = os.path.join(str(base), "kibotics_analytics.sqlite3")
        if self.LOG_TIMEZONE is None:
            self.LOG_TIMEZONE = getattr(settings, "TIME_ZONE", None) or "UTC"


_cached = None


def conf():
    """The checked settings (read once: a changed dict is seen after `reset()`, for tests)."""
    global _cached
    if _cached is None:
        _cached = Settings(getattr(settings, "KIBOTICS_ANALYTICS", {}))
    return _cached


def reset():
    global _cached
    _cached = None


def _changed(setting, **kwargs):
    if setting == "KIBOTICS_ANALYTICS":
        reset()


# override_settings(KIBOTICS_ANALYTICS=…) in a site's tests takes effect at once.
setting_changed.connect(_changed, dispatch_uid="kibotics_analytics.conf")
