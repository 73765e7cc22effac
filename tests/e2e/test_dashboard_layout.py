"""Browser: every flag of « Le programme en chiffres » can be read in full (nothing clipped)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.a11y import assert_no_serious_a11y_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_printed_total_notes_are_not_clipped(page, live_server, coordinator):
    call_command("import_eig_data", verbosity=0)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_login", "coord@example.gouv.fr")
    page.fill("#id_password", "coordinator-pass-2027")
    page.click("button[type=submit]:has-text('Se connecter')")
    page.wait_for_url(f"**{reverse('admin:index')}")
    page.goto(
        f"{live_server.url}{reverse('promotions:dashboard')}"
        "?promotion=eig-1&promotion=eig-2&promotion=eig-3"
    )
    notes = page.locator("#figures-table .portal-flag")
    assert notes.count() >= 10
    container = page.locator("#figures-table .fr-table__container").bounding_box()
    for i in range(notes.count()):
        box = notes.nth(i).bounding_box()
        assert box["x"] + box["width"] <= container["x"] + container["width"] + 1, notes.nth(
            i
        ).inner_text()
    printed = page.locator('tr[data-metric="challenges_proposed"] .portal-printed')
    assert "imprime 85" in printed.inner_text() and "94" in printed.inner_text()
    assert_no_serious_a11y_violations(page)
