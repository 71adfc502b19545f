"""The absolute address printed in documents (QR codes, footers, Excel links)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

# The address captured when a document was started, while a worker renders it.
_rendering_for: ContextVar[str] = ContextVar("zi_public_base_url", default="")


def public_base_url(request: HttpRequest | None = None) -> str:
    """`scheme://host[:port]` of the portal, without a trailing slash.

    `ZI_PUBLIC_BASE_URL` when it is set (always in production). In development without
    it, the address `request` was served at (its Host, checked against ALLOWED_HOSTS), so
    a document started while serving on port 8123 links to port 8123. Without a request:
    the address captured for the document being rendered (`links_from`), else the
    development default.
    """
    if settings.ZI_PUBLIC_BASE_URL_FROM_REQUEST:
        if request is not None:
            return f"{request.scheme}://{request.get_host()}"
        if captured := _rendering_for.get():
            return captured
    return str(settings.ZI_PUBLIC_BASE_URL)


@contextmanager
def links_from(base_url: str) -> Iterator[None]:
    """Render with the address captured when the document was started ("" = settings)."""
    token = _rendering_for.set(base_url.rstrip("/"))
    try:
        yield
    finally:
        _rendering_for.reset(token)
