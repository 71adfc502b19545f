from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Jawaban dan skor")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from evidence.checks.consistency import register_answer_source
        from scoring.evidence_answers import mandiri_answer
        from scoring.services import TREE_MODELS, model_tree_touch

        # The evidence checks compare answers with their bukti (issue 14).
        register_answer_source(mandiri_answer)

        # Any change of a model's tree invalidates the cached model specs.
        for model in TREE_MODELS:
            post_save.connect(model_tree_touch, sender=model, dispatch_uid=f"tree-{model}")
            post_delete.connect(model_tree_touch, sender=model, dispatch_uid=f"tree-del-{model}")
