"""Browser (Playwright, Debian Chromium): a coordinator invites a jury member from the admin, the
invited person sets a password through the emailed link, logs in and reaches the jury pages.
axe-core on each page (no serious or critical violation).
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.a11y import assert_no_serious_a11y_violations
from tests.e2e.test_jury_journey import admin_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "claire.dupont@numerique.example.gouv.fr"
PASSWORD = "Jury-mot-de-passe-2027"


def test_coordinator_invites_a_juror_who_sets_a_password_and_logs_in(
    page, live_server, coordinator, settings
):
    settings.SITE_URL = live_server.url
    base = live_server.url
    admin_log_in(page, base, coordinator)

    page.goto(f"{base}{reverse('admin:challenges_challengeproposal_changelist')}")
    page.get_by_role("link", name="Inviter un membre du jury").click()
    page.wait_for_url("**/juryassignment/inviter/")
    assert_no_serious_a11y_violations(page)

    # An invalid address: errors shown, what was typed kept.
    page.fill("#id_email", "claire.dupont")
    page.fill("#id_first_name", "Claire")
    page.click("input[type=submit]")
    assert page.locator(".errornote").is_visible()
    assert page.input_value("#id_first_name") == "Claire"
    assert_no_serious_a11y_violations(page)

    page.fill("#id_email", EMAIL)
    page.fill("#id_last_name", "Dupont")
    page.click("input[type=submit]")
    page.wait_for_url(f"**{reverse('admin:challenges_challengeproposal_changelist')}")
    assert "Compte créé pour Claire Dupont" in page.locator(".messagelist").inner_text()

    message = next(m for m in mail.outbox if m.to == [EMAIL])
    link = re.search(r"https?://\S+/comptes/password/reset/key/\S+", message.body).group(0)
    assert link.startswith(base)

    page.context.clear_cookies()
    page.goto(link)
    page.wait_for_selector("#id_password1")
    assert_no_serious_a11y_violations(page)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("button[type=submit]:has-text('Enregistrer le mot de passe')")
    page.wait_for_url(f"**{reverse('account_reset_password_from_key_done')}")

    page.goto(f"{base}{reverse('account_login')}")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]:has-text('Se connecter')")
    page.wait_for_url(f"**{reverse('jury:list')}")
    assert "Vous êtes connecté·e : bienvenue, Claire Dupont." in page.content()
    assert_no_serious_a11y_violations(page)
