from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Unit kerja dan keanggotaan")

    def ready(self) -> None:
        from units import akun  # noqa: F401 - connects the login signal
