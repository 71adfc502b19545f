from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zi_portal.tasks import worker_health


class Command(BaseCommand):
    help = "Kirim tugas uji ke worker Celery melalui Redis dan tampilkan jawabannya."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--timeout", type=float, default=20.0, help="Batas tunggu (detik).")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError(
                "REDIS_URL belum diisi: tugas dijalankan di dalam proses, tanpa worker."
            )
        try:
            result = worker_health.delay().get(timeout=options["timeout"])
        except Exception as exc:
            raise CommandError(f"Worker tidak menjawab: {exc}") from exc
        self.stdout.write(
            f"Worker {result['host']} (pid {result['pid']}) menjawab; basis data "
            f"{result['database']}, {result['penilaian']} penilaian."
        )
