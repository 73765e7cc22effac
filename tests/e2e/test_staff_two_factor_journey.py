"""Journey: in production a coordinator opening the admin must first set up an authenticator
app (QR code), then reaches the admin; the pages pass axe-core and the CSP."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from tests.a11y import assert_no_serious_a11y_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_sets_up_the_authenticator_app_before_the_admin(
    page, live_server, coordinator, settings
):
    settings.STAFF_REQUIRE_2FA = True
    base = live_server.url
    page.goto(f"{base}/admin/")
    page.wait_for_url(f"**{reverse('account_login')}?next=%2Fadmin%2F")
    page.fill("#id_login", coordinator.email)
    page.fill("#id_password", "coordinator-pass-2027")
    page.click("button[type=submit]:has-text('Se connecter')")

    # Sent to the set-up; allauth asks the password once more before changing security settings.
    page.wait_for_url(f"**{reverse('account_reauthenticate')}**")
    assert_no_serious_a11y_violations(page)
    page.fill("#id_password", "coordinator-pass-2027")
    page.click("#content button[type=submit]")
    page.wait_for_url(f"**{reverse('mfa_activate_totp')}")
    assert page.locator("h1").inner_text() == "Activer l'application d'authentification"
    assert page.locator("img[alt^='QR code']").is_visible()
    assert_no_serious_a11y_violations(page)

    secret = page.input_value("#authenticator_secret")
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.fill("#id_code", code)
    page.click("#content button[type=submit]")
    page.wait_for_load_state()
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()

    page.goto(f"{base}/admin/")
    assert page.locator("#content h1").count() == 1
    assert "/admin/" in page.url
