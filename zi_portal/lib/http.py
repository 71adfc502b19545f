"""Serving stored files: the one place that sets the headers every download carries."""

from __future__ import annotations

from typing import IO

from django.http import FileResponse, Http404

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
