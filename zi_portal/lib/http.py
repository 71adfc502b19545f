"""Serving stored files (the one place that sets the headers every download carries), and
the client address behind trusted proxies."""

from __future__ import annotations

import ipaddress
from typing import IO

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest

# A download runs nothing. An inline preview (PDF, image) may show its own images and
# styles, and only frames of the portal itself may hold it.
DOWNLOAD_CSP = "default-src 'none'; frame-ancestors 'self'"
INLINE_CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
)


def file_response(
    field_file: object, *, filename: str, content_type: str, inline: bool = False
) -> FileResponse:
    """A rights-checked download (the caller checked the rights) of a stored file.

    `field_file` is a FieldFile (or anything with `open("rb")`); a file missing from the
    storage answers 404. Downloads carry Content-Disposition, nosniff, a restrictive CSP,
    no caching; inline previews may be framed only by the portal.
    """
    try:
        handle: IO[bytes] = field_file.open("rb")  # type: ignore[attr-defined]
    except OSError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = INLINE_CSP if inline else DOWNLOAD_CSP
    if inline:
        response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "private, no-store"
    return response


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the trusted front proxies report it (login throttling).

    With `ZI_TRUSTED_PROXY_COUNT` = N > 0 the portal runs behind N proxies, each of which
    appends the address it received the request from to `X-Forwarded-For`; the client is
    the N-th entry from the right. Entries further left were sent by the client and are
    ignored (they can be forged). With N = 0, or a header shorter than N, or an entry
    that is no address, it is `REMOTE_ADDR`.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "ZI_TRUSTED_PROXY_COUNT", 0))
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
