"""Login throttling: one throttle for every login form, per (IP address, account), kept in the
cache that every worker shares (the database cache by default, Redis when configured).

An attacker guessing a password is refused after ``LOGIN_FAILURE_LIMIT`` failures — even with
the right password afterwards — while the owner, from another address, still logs in.
"""

import os

import pytest
from allauth.account.models import EmailAddress
from axes.handlers.proxy import AxesProxyHandler
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse

ATTACKER_IP = "203.0.113.7"
OTHER_ATTACKER_IP = "203.0.113.8"
OWNER_IP = "198.51.100.20"
REFUSED = "Trop de tentatives de connexion"
REDIS_URL = os.environ.get("CACHE_TEST_REDIS_URL", "")

pytestmark = pytest.mark.django_db


def _new_worker_state():
    """What a fresh worker process starts with: no cache connection, no throttle handler."""
    from asgiref.local import Local
    from django.core.cache import caches as handler

    handler._connections = Local()  # forget this process's cache connections
    AxesProxyHandler.get_implementation(force=True)


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings):
    """The production caches: the database cache (default) and Redis (CACHE_URL)."""
    if request.param == "database":
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "django_cache",
            },
        }
    else:
        if not REDIS_URL:
            if os.environ.get("REQUIRE_SERVICES"):
                pytest.fail("CACHE_TEST_REDIS_URL is not set but REQUIRE_SERVICES=1")
            pytest.skip("CACHE_TEST_REDIS_URL not set (e.g. redis://127.0.0.1:6379/14)")
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"throttle-test-{os.getpid()}",
            },
        }
    caches["default"].clear()
    _new_worker_state()
    yield request.param
    caches["default"].clear()


@pytest.fixture
def owner(coordinator):
    """A staff account whose verified address is its login."""
    EmailAddress.objects.get_or_create(
        user=coordinator, email=coordinator.email, defaults={"verified": True, "primary": True}
    )
    return coordinator


def _try(client, email, password, next_url="/admin/"):
    return client.post(
        f"{reverse('account_login')}?next={next_url}", {"login": email, "password": password}
    )


def _logged_in(client):
    return "_auth_user_id" in client.session


def _refused(response, client):
    """Refused without checking the password: django-axes' lockout page (429), or allauth's
    per-address limit (« Trop de tentatives de connexion échouées » on the form)."""
    refused = response.status_code == 429 or REFUSED in response.content.decode()
    return refused and not _logged_in(client)


def test_the_admin_login_form_is_the_portal_login_page(client, owner):
    response = client.get("/admin/login/?next=/admin/promotions/")
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=%2Fadmin%2Fpromotions%2F"
    # A password posted to /admin/login/ is not checked there: no login, only the redirect.
    response = client.post(
        "/admin/login/", {"username": "coord", "password": "coordinator-pass-2027"}
    )
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert not _logged_in(client)


def test_95_wrong_passwords_are_refused_after_the_limit_then_the_right_one_too(
    shared_cache, owner, settings
):
    attacker = Client(REMOTE_ADDR=ATTACKER_IP)
    assert attacker.get("/admin/login/").url.startswith(reverse("account_login"))
    statuses = []
    for attempt in range(95):
        response = _try(attacker, "Coord@Example.gouv.fr", f"guess-{attempt}")
        statuses.append(response.status_code)
        assert not _logged_in(attacker)
        if attempt + 1 >= settings.AXES_FAILURE_LIMIT:
            assert _refused(response, attacker), attempt
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)  # the form says « wrong password »
    assert statuses[limit - 1] == 429  # the limit-th failure already answers the lockout page

    assert _refused(_try(attacker, owner.email, "coordinator-pass-2027"), attacker)
    assert attacker.get("/admin/").status_code == 302


def test_the_lockout_page_is_french_and_points_to_password_reset(owner, settings):
    attacker = Client(REMOTE_ADDR=ATTACKER_IP)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = _try(attacker, owner.email, f"guess-{attempt}")
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Trop de tentatives de connexion</h1>" in html
    assert "suspendue après 5 essais infructueux" in html
    assert "Réessayez dans 15 minutes" in html
    assert reverse("account_reset_password") in html
    assert 'class="fr-alert fr-alert--warning' in html


def test_the_owner_logs_in_from_another_address_while_the_attacker_is_locked_out(
    shared_cache, owner, settings
):
    attacker = Client(REMOTE_ADDR=ATTACKER_IP)
    for attempt in range(settings.AXES_FAILURE_LIMIT + 10):
        _try(attacker, owner.email, f"guess-{attempt}")
    assert _refused(_try(attacker, owner.email, "coordinator-pass-2027"), attacker)

    owner_client = Client(REMOTE_ADDR=OWNER_IP)
    response = _try(owner_client, owner.email, "coordinator-pass-2027")
    assert response.status_code == 302 and response.url == "/admin/"
    assert _logged_in(owner_client)
    # Another address of the attacker starts from zero too: the key is (address, account).
    assert _try(Client(REMOTE_ADDR=OTHER_ATTACKER_IP), owner.email, "x").status_code == 200


def test_failures_counted_by_one_worker_lock_out_the_same_client_on_another(
    shared_cache, owner, settings
):
    limit = settings.AXES_FAILURE_LIMIT
    worker_a = Client(REMOTE_ADDR=ATTACKER_IP)
    for attempt in range(limit - 1):
        assert _try(worker_a, owner.email, f"guess-{attempt}").status_code == 200
    if shared_cache == "database":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM django_cache")
            assert cursor.fetchone()[0] >= 1  # the count lives in the database, not in memory

    _new_worker_state()  # the next request lands on another worker process
    worker_b = Client(REMOTE_ADDR=ATTACKER_IP)
    assert _try(worker_b, owner.email, "one-more-guess").status_code == 429
    _new_worker_state()
    assert (
        _try(Client(REMOTE_ADDR=ATTACKER_IP), owner.email, "coordinator-pass-2027").status_code
        == 429
    )


def test_a_successful_login_forgets_the_owners_earlier_typos(owner, settings):
    client = Client(REMOTE_ADDR=OWNER_IP)
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, owner.email, f"typo-{attempt}")
    assert _try(client, owner.email, "coordinator-pass-2027").status_code == 302
    client.logout()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _try(client, owner.email, f"typo-again-{attempt}").status_code == 200
    assert _try(client, owner.email, "coordinator-pass-2027").status_code == 302


def test_behind_the_proxy_the_client_address_is_the_one_the_proxy_appended(settings, rf):
    from eig_portal.security import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    settings.BEHIND_TLS_PROXY = False
    assert client_ip(request) == "10.0.0.2"  # a client could have written the header itself
    settings.BEHIND_TLS_PROXY = True
    assert client_ip(request) == "203.0.113.7"
