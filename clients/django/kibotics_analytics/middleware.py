"""Page visits: one `visit` event per answered page, named by its route pattern, not its raw URL."""
from .conf import conf
from .contract import clip
from .events import event, record


class VisitsMiddleware:
    """Records a visit after a GET answered below 400 (anonymous visitors included, crawlers flagged by the
    gateway from the user agent). The path is the route's pattern (`/exercise/<str:exercise_id>/`),
    so ids in URLs are not stored and pages group by route; unrouted pages (404s) are not visits."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        try:
            self._visit(request, response)
        except Exception:  # noqa: BLE001 — a visit is never worth a broken page
            import logging

            logging.getLogger("kibotics_analytics").exception("kibotics_analytics: could not record a visit")
        return response

    def _visit(self, request, response):
        c = conf()
        # Page views only: a form's POST or an API call is not a visit.
        if not c.ENABLED or not c.VISITS or request.method != "GET" or response.status_code >= 400:
            return
        match = getattr(request, "resolver_match", None)
        if match is None:
            return
        if any(request.path.startswith(p) for p in c.SKIP_PATHS):
            return
        if any(ns in c.SKIP_NAMESPACES for ns in match.namespaces) or getattr(
            match.func, "kibotics_analytics_no_visit", False
        ):
            return
        route = getattr(match, "route", None)  # the whole pattern, includes joined; "" for the root
        path = "/" + (route.lstrip("^/").rstrip("$") if route is not None else match.view_name)
        referrer = request.META.get("HTTP_REFERER")
        user = getattr(request, "user", None)
        record(
            event(
                "visit",
                request=request,
                user=user,
                path=clip("path", path),
                referrer=clip("referrer", referrer) if referrer else None,
            )
        )
