"""Journey 4: a coordinator logs in through the admin and reads « Le programme en chiffres »."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.a11y import assert_no_serious_a11y_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_reads_the_dashboard_with_the_real_data(page, live_server, coordinator):
    call_command("import_eig_data", verbosity=0)
    dashboard = reverse("promotions:dashboard")

    page.goto(f"{live_server.url}{reverse('admin:login')}?next={dashboard}")
    page.fill("#id_login", "coord@example.gouv.fr")
    page.fill("#id_password", "coordinator-pass-2027")
    page.click("button[type=submit]:has-text('Se connecter')")
    page.wait_for_url(f"**{dashboard}")

    assert page.locator("h1").inner_text() == "Le programme en chiffres"
    cell = page.locator('tr[data-metric="fellows"] td[data-column="EIG 2"]')
    assert cell.locator(".portal-headline").inner_text() == "28"
    assert "registres : 26" in cell.inner_text()
    assert cell.locator(".fr-badge", has_text="Écart").is_visible()
    proposals_total = page.locator('tr[data-metric="challenges_proposed"] td[data-column="total"]')
    assert proposals_total.locator(".portal-headline").inner_text() == "94"
    assert "imprime 85" in proposals_total.inner_text()
    assert page.locator("svg[role=img] title", has_text="Budget par promotion").count() == 1
    assert_no_serious_a11y_violations(page)

    # The filter keeps the ticked promotions only.
    page.click("label[for=promotion-eig-2]")  # DSFR draws the box on the label
    assert page.is_checked("#promotion-eig-2")
    page.click("#dashboard-filter button[type=submit]")
    page.wait_for_url("**promotion=eig-2**")
    headers = page.locator("#figures-table thead th").all_inner_texts()
    assert [h.split("\n")[0].strip() for h in headers] == ["Indicateur", "EIG 2", "Total"]
    assert_no_serious_a11y_violations(page)


def test_open_data_page_is_accessible(page, live_server):
    page.goto(f"{live_server.url}{reverse('promotions:open_data')}")
    assert page.locator("h1").inner_text() == "Données ouvertes"
    assert_no_serious_a11y_violations(page)
