"""``setup_demo`` prints the accounts and links, not the raw emails it sends."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_settings(settings):
    settings.DEBUG = True  # setup_demo refuses to run with DEBUG off
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    return settings


@pytest.mark.django_db(transaction=True)  # emails leave on commit, as in ``make run``
def test_setup_demo_prints_the_accounts_not_the_emails_it_sends(demo_settings, capsys):
    out = StringIO()
    call_command("setup_demo", stdout=out)

    printed = out.getvalue() + capsys.readouterr().out
    assert "demo-eig-2027" in printed and "demo-agent-2027" in printed
    assert "Content-Type:" not in printed and "MIME-Version" not in printed
    assert "demo emails were prepared for fictitious recipients and not sent" in printed
