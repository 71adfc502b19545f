"""The few views of the composition root itself."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers and bookmark tools ask for /favicon.ico; the icon is the static SVG."""
    return HttpResponseRedirect(static("favicon.svg"))
