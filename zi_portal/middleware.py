from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Serve Bahasa Indonesia unless the user picked another language in the portal.

    The browser's Accept-Language is ignored on purpose: officials often run English
    browsers, and the LKE vocabulary is Indonesian.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


PAGE_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # htmx injects its indicator styles; Bootstrap components set inline styles.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)


class SecurityHeadersMiddleware:
    """A restrictive Content-Security-Policy on every response that sets none itself
    (evidence downloads set a stricter one), and a minimal Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class PasswordChangeRequiredMiddleware:
    """A user who must choose a new password (units.akun) sees only the password change
    page until they do; logging out, static files and the language switch stay open."""

    OPEN_URL_NAMES = ("password_change", "password_change_done", "logout", "set_language")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from units.akun import SESSION_KEY

        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY) and request.user.is_authenticated:
            open_paths = {reverse(name) for name in self.OPEN_URL_NAMES}
            if request.path not in open_paths and not request.path.startswith(settings.STATIC_URL):
                return redirect("password_change")
        return self.get_response(request)
