from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZiPortalConfig(AppConfig):
    """The composition root: template tags, the demo loader and project-wide commands."""

    name = "zi_portal"
    verbose_name = _("ZI Portal")

    def ready(self) -> None:
        # Registers the start-up checks (the object store's bucket).
        from zi_portal import checks  # noqa: F401
