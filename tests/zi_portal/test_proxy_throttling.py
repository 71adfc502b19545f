"""Issue 11 part 7: login throttling behind a front proxy keys on the client address the
trusted proxy reports (X-Forwarded-For) together with the user name."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings

from zi_portal.demo import DEMO_PASSWORD
from zi_portal.lib.http import client_ip

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"
CLIENT_A, CLIENT_B = "203.0.113.5", "198.51.100.7"


def _login(client: Client, forwarded_for: str, password: str, username: str = "tim.biro-hp") -> int:
    response = client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )
    return response.status_code


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, ZI_TRUSTED_PROXY_COUNT=1)
def test_wrong_passwords_from_one_client_do_not_lock_the_user_out_for_others() -> None:
    a, b = Client(), Client()
    statuses = [_login(a, CLIENT_A, "salah") for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    # Client A is locked out for this user name, even with the right password...
    assert _login(a, CLIENT_A, DEMO_PASSWORD) == 429
    # ...client B, through the same proxy, is not; nor is A for another user.
    assert _login(b, CLIENT_B, DEMO_PASSWORD) == 302
    assert _login(Client(), CLIENT_A, DEMO_PASSWORD, username="tim.pusat-tik") == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, ZI_TRUSTED_PROXY_COUNT=1)
def test_a_forged_forwarded_for_entry_does_not_escape_the_lock() -> None:
    a = Client()
    # The client sends its own X-Forwarded-For; the proxy appends the real address.
    for n in range(5):
        _login(a, f"192.0.2.{n}, {CLIENT_A}", "salah")
    assert _login(a, f"192.0.2.99, {CLIENT_A}", DEMO_PASSWORD) == 429


def test_the_client_address_follows_the_trusted_proxy_count() -> None:
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {CLIENT_A}")
    with override_settings(ZI_TRUSTED_PROXY_COUNT=0):
        assert client_ip(request) == PROXY  # no proxy trusted: the header is ignored
    with override_settings(ZI_TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == CLIENT_A
    with override_settings(ZI_TRUSTED_PROXY_COUNT=2):
        assert client_ip(request) == "1.2.3.4"
    with override_settings(ZI_TRUSTED_PROXY_COUNT=3):
        assert client_ip(request) == PROXY  # shorter than the proxy chain
    bad = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="bukan-alamat")
    with override_settings(ZI_TRUSTED_PROXY_COUNT=1):
        assert client_ip(bad) == PROXY
