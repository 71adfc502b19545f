from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LkeConfig(AppConfig):
    name = "lke"
    verbose_name = _("Model LKE dan penilaian")

    def ready(self) -> None:
        from django.db import models
        from django.db.models.signals import pre_delete, pre_save

        from lke.models import ModelPenilaian, Penilaian
        from lke.versions import (
            TREE_ROWS,
            guard_pre_delete,
            guard_pre_save,
            penilaian_model_check,
        )

        # A model version that a penilaian uses never changes, whatever the door.
        senders: tuple[type[models.Model], ...] = (*TREE_ROWS, ModelPenilaian)
        for model in senders:
            pre_save.connect(guard_pre_save, sender=model, dispatch_uid=f"version-{model}")
            pre_delete.connect(guard_pre_delete, sender=model, dispatch_uid=f"version-del-{model}")
        pre_save.connect(penilaian_model_check, sender=Penilaian, dispatch_uid="penilaian-model")
