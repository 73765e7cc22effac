"""Two-factor authentication (authenticator app, allauth.mfa) and staff sessions.

Staff must have an authenticator app before any admin or staff page when ``STAFF_REQUIRE_2FA``
(on when DEBUG is off); everyone, jurors first, can activate one; the admin signs in through the
portal's login page, so the code is asked there too. Staff sessions end 12 hours after login.
"""

import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eig_portal.security import STAFF_LOGIN_AT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "coordinator-pass-2027"
STAFF_PAGES = ["/admin/", "/admin/promotions/promotion/", "/questionnaires/suivi/"]


def _current_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _login_with_form(client, user, password, remember=True):
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    data = {"login": user.email, "password": password}
    if remember:
        data["remember"] = "on"
    response = client.post(reverse("account_login"), data)
    assert response.status_code == 302, response.content
    client.get("/")  # the next request pins the expiry
    return client


@pytest.fixture
def required(settings):
    """Production: DEBUG off, so TOTP is required for staff."""
    settings.DEBUG = False
    settings.STAFF_REQUIRE_2FA = True


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_without_authenticator_app_are_sent_to_its_set_up(client, coordinator, required, url):
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_the_set_up_page_shows_a_qr_code_and_activating_opens_the_admin(
    client, coordinator, required
):
    _login_with_form(client, coordinator, PASSWORD)
    # allauth asks the password again before changing two-factor settings.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(response.url, {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert "QR code à scanner" in html
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()
    for url in STAFF_PAGES:
        assert client.get(url).status_code == 200, url


def test_jurors_and_agents_are_offered_two_factor_but_not_forced(client, required):
    juror = UserFactory()
    juror.set_password("juror-pass-2027-solide")
    juror.save()
    _login_with_form(client, juror, "juror-pass-2027-solide")
    home = client.get("/")
    assert home.status_code == 200
    home = home.content.decode()
    assert f'href="{reverse("mfa_index")}"' in home  # « Double authentification » in the header
    assert client.get(reverse("mfa_index")).status_code == 200
    assert (
        f'href="{reverse("mfa_index")}"' in client.get(reverse("privacy:my_data")).content.decode()
    )
    client.post(reverse("account_reauthenticate"), {"password": "juror-pass-2027-solide"})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_two_factor_is_not_required_in_development(client, coordinator, settings):
    settings.STAFF_REQUIRE_2FA = False
    client.force_login(coordinator)
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_asks_the_authenticator_code(client, coordinator, required):
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    response = client.get("/admin/login/?next=/admin/")
    response = client.post(response.url, {"login": coordinator.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone does not log in
    assert client.get("/admin/").status_code == 302

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_non_staff_user_on_the_admin_login_gets_403_not_a_loop(client):
    client.force_login(UserFactory())
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_the_admin_login_redirect_drops_a_foreign_next(client):
    response = client.get("/admin/login/?next=https://evil.example.org/")
    assert response.url == f"{reverse('account_login')}?next=%2Fadmin%2F"


# --- staff sessions ---------------------------------------------------------------------------


def test_a_staff_session_lasts_12_hours_even_with_remember_me(coordinator):
    client = _login_with_form(Client(), coordinator, PASSWORD)
    age = client.session.get_expiry_age()
    assert 11.9 * 3600 < age <= 12 * 3600


def test_other_sessions_keep_django_s_14_days(django_user_model):
    agent = django_user_model.objects.create_user(
        username="agent", email="agent@example.gouv.fr", password="agent-pass-2027-solide"
    )
    client = _login_with_form(Client(), agent, "agent-pass-2027-solide")
    assert client.session.get_expiry_age() == 14 * 24 * 3600


def test_a_staff_session_older_than_12_hours_is_logged_out(client, coordinator):
    client.force_login(coordinator)
    session = client.session
    session[STAFF_LOGIN_AT] = (timezone.now() - timedelta(hours=12, minutes=1)).timestamp()
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
