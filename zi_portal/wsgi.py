from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings.base")

application = get_wsgi_application()

# gunicorn runs no system checks: a bucket that does not answer stops the worker's boot here.
from zi_portal.checks import require_storage  # noqa: E402

require_storage()
