"""The login form: Django's, with messages written for the portal."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    # Django's Indonesian catalogue renders its message as "nama pengguna nama pengguna".
    error_messages = {
        "invalid_login": _(
            "Masukkan nama pengguna dan kata sandi yang benar. Huruf besar dan kecil dibedakan."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi admin portal."),
    }
