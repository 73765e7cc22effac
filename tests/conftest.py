"""Shared pytest fixtures: users, a real headless Chromium (Playwright) and axe-core checks."""

import os
import re
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the same
# thread are safe here (one thread, one connection).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _fast_static_and_email(settings):
    """Serve static files from finders (no collectstatic) and keep emails in memory.

    The cache is an in-memory one, emptied for each test: login throttling (django-axes), rate
    limits (django-allauth) and other cached state must not leak from one test to the next, and
    tests without database access must be able to use it. The tests of the shared throttle
    (tests/test_login_throttling.py) switch to the database cache themselves."""
    from axes.handlers.proxy import AxesProxyHandler
    from django.core.cache import cache, caches

    from eig_portal.common import data_versions

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fragments-t",
        },
    }
    cache.clear()
    caches["fragments"].clear()
    data_versions.clear_local()  # each test's database counts its data versions from zero
    AxesProxyHandler.get_implementation(force=True)  # bind django-axes to this cache
    settings.WHITENOISE_USE_FINDERS = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _temporary_media_root(settings, tmp_path):
    """Uploads (attachments, exports) go to a per-test temporary folder, never to ./media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def coordinator(django_user_model):
    """A staff user in the ``coordinators`` group (password: ``coordinator-pass-2027``)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username="coord",
        email="coord@example.gouv.fr",
        password="coordinator-pass-2027",
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name="coordinators"))
    # Verified address: staff sign in through the portal's login page (email + password).
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright; skipped only where no Chromium exists
    and REQUIRE_BROWSER is unset (CI sets it, so there the test fails instead)."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser page (French locale). The test fails if the browser reported a
    Content-Security-Policy violation (something the page needs was blocked)."""
    context = browser.new_context(locale="fr-FR")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    violations = []

    def on_console(message):
        text = message.text
        if "Content Security Policy" not in text:
            return
        # A resource of another host being blocked is the policy doing its job (e.g. Redoc's
        # logo on cdn.redoc.ly); anything of the portal's own being blocked is a bug.
        if re.search(r"Loading the \w+ 'https?://(?!localhost|127\.0\.0\.1)", text):
            return
        violations.append(f"{pg.url}: {text}")

    pg.on("console", on_console)
    yield pg
    context.close()
    assert not violations, violations
