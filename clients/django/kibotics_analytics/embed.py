"""Embed URLs of the provisioned Grafana panels, and who may open which dashboard.

The panel list is panels.json, generated from provisioning/src (`npm run generate -w provisioning`)
and checked up to date by the provisioning tests: never a hand copy.
"""
import functools
import json
import os
import re
from urllib.parse import urlencode

from .conf import conf

# Grafana 12 reads `lang` from the URL (grafana/grafana#103587) as one of its language codes;
# Django's short codes map to the variant Grafana ships.
GRAFANA_LANGUAGES = {
    "en": "en-US",
    "es": "es-ES",
    "fr": "fr-FR",
    "de": "de-DE",
    "pt": "pt-BR",
    "zh": "zh-Hans",
    "it": "it-IT",
    "ja": "ja-JP",
    "id": "id-ID",
    "ko": "ko-KR",
    "ru": "ru-RU",
    "cs": "cs-CZ",
    "nl": "nl-NL",
    "hu": "hu-HU",
    "pl": "pl-PL",
    "sv": "sv-SE",
    "tr": "tr-TR",
}


class UnknownPanel(ValueError):
    """A dashboard, panel or variable the provisioning does not have; the message lists what exists."""


@functools.lru_cache(maxsize=1)
def manifest():
    with open(os.path.join(os.path.dirname(__file__), "panels.json"), encoding="utf-8") as f:
        return json.load(f)["dashboards"]


def dashboard(uid):
    d = manifest().get(uid)
    if d is None:
        raise UnknownPanel(f"dashboard: {uid!r} is not provisioned (known: {', '.join(manifest())})")
    return d


def shows_user_names(uid):
    """Whether the dashboard lets a viewer read children's names. Unknown (None) counts as yes."""
    d = manifest().get(uid)
    return d is None or d.get("showsUserNames") is not False


def panel_url(uid, panel, *, time_from="now-30d", time_to="now", theme="light", lang=None, tz=None, variables=None):
    """`GRAFANA_URL/d-solo/<uid>/<slug>?orgId=…&panelId=…&from=…&to=…&theme=…[&lang=…][&timezone=…][&var-…]`.

    `panel` is the panel's title (as in provisioning/panels.md) or its id.
    """
    d = dashboard(uid)
    if isinstance(panel, int) or str(panel).isdigit():
        panel_id = int(panel)
        if panel_id not in d["panels"].values():
            raise UnknownPanel(f"panel: {uid} has no panel id {panel_id}")
    else:
        panel_id = d["panels"].get(panel)
        if panel_id is None:
            raise UnknownPanel(f"panel: {uid} has no panel {panel!r} (its panels: {', '.join(d['panels'])})")
    c = conf()
    query = [("orgId", c.GRAFANA_ORG_ID), ("panelId", panel_id), ("from", time_from), ("to", time_to), ("theme", theme)]
    if lang:
        query.append(("lang", GRAFANA_LANGUAGES.get(lang.lower(), lang)))
    if tz:
        query.append(("timezone", tz))
    for name, value in (variables or {}).items():
        if name not in d["variables"]:
            raise UnknownPanel(
                f"variable: {uid} has no variable {name!r} (its variables: {', '.join(d['variables']) or 'none'})"
            )
        for v in value if isinstance(value, (list, tuple)) else [value]:
            query.append((f"var-{name}", v))
    return f"{c.GRAFANA_URL.rstrip('/')}/d-solo/{uid}/{d['slug']}?{urlencode(query)}"


DASHBOARD_PATH = re.compile(r"^/(?:d|d-solo)/([^/?]+)")
# The dashboard's JSON: the classic API, and the one Grafana 12 loads dashboards through.
API_DASHBOARD = re.compile(
    r"^/(?:api/dashboards/uid|apis/dashboard\.grafana\.app/[^/]+/namespaces/[^/]+/dashboards)/([^/?]+)"
)
# What a name-free panel needs besides its dashboard: Grafana's own assets and settings, plugin
# settings, and its data queries.
EMBED_PREFIXES = (
    "/public/",
    "/api/frontend/",
    "/api/plugins/",
    "/api/ds/query",
    "/api/annotations",
    "/api/live/",
    "/api/frontend-metrics",
)


def grafana_path(uri):
    """The Grafana path of the original request URI (without GRAFANA_URL and the query string)."""
    base = conf().GRAFANA_URL.rstrip("/")
    path = uri.split("?", 1)[0]
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base) :] or "/"
    return path


def decide(user, uri):
    """(allowed, the Grafana user to vouch for) for a request to Grafana by `user`.

    Staff (active, is_staff) reach everything as themselves. Everyone else — teachers, pupils,
    anonymous visitors — reaches only dashboards that show no names, and what their panels load,
    as GRAFANA_EMBED_USER; with no GRAFANA_EMBED_USER, nothing.
    """
    if user is not None and user.is_authenticated and user.is_active and user.is_staff:
        return True, user.get_username()
    embed_user = conf().GRAFANA_EMBED_USER
    if not embed_user:
        return False, None
    path = grafana_path(uri)
    m = DASHBOARD_PATH.match(path) or API_DASHBOARD.match(path)
    allowed = not shows_user_names(m.group(1)) if m else path.startswith(EMBED_PREFIXES)
    return allowed, embed_user if allowed else None
