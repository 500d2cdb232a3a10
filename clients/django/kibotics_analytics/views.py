"""Grafana's gatekeeper behind the site's nginx (`auth_request`): see examples/nginx.conf."""
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from .embed import decide

# The header Grafana's auth proxy reads ([auth.proxy] header_name); nginx copies it from this answer.
USER_HEADER = "X-WEBAUTH-USER"


@never_cache
def grafana_auth(request):
    """204 with X-WEBAUTH-USER (the staff member, or GRAFANA_EMBED_USER for a dashboard without
    names and what its panels load); 403 otherwise. nginx passes the original URI in X-Original-URI."""
    uri = request.META.get("HTTP_X_ORIGINAL_URI")
    if not uri:
        return HttpResponse(
            "X-Original-URI: missing; set it in the nginx auth_request location", status=400, content_type="text/plain"
        )
    allowed, grafana_user = decide(getattr(request, "user", None), uri)
    if not allowed:
        return HttpResponse(status=403)
    response = HttpResponse(status=204)
    response[USER_HEADER] = grafana_user
    return response


# Every request to Grafana passes here: none of them is a page visit.
grafana_auth.kibotics_analytics_no_visit = True
