"""Journeys of personal data: a person downloads their data from « Mes données »; a coordinator
previews, exports and erases an EIG's data on request; anyone reads « Données personnelles »."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from promotions.models import Fellow
from tests.a11y import assert_no_serious_a11y_violations
from tests.factories import FellowFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "sacha@example.gouv.fr"
PASSWORD = "sacha-pass-2027"


def test_a_person_downloads_their_data_and_reads_the_public_page(page, live_server):
    user = UserFactory(username="sacha", email=EMAIL, first_name="Sacha", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    base = live_server.url
    page.goto(f"{base}{reverse('account_login')}")
    page.fill("#id_login", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("header a", has_text="Mes données").first.click()
    page.wait_for_url(f"**{reverse('privacy:my_data')}")
    assert_no_serious_a11y_violations(page)
    with page.expect_download() as download:
        page.locator("a", has_text="Télécharger mes données").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["accounts"][0]["first_name"] == "Sacha"

    page.locator("footer a", has_text="Données personnelles").click()
    page.wait_for_url(f"**{reverse('privacy:public')}")
    assert page.locator("h1").inner_text() == "Données personnelles"
    assert_no_serious_a11y_violations(page)


def test_a_coordinator_exports_then_erases_an_eig_on_request(page, live_server, coordinator):
    fellow = FellowFactory(name="Alice Martin", email="alice@example.gouv.fr")
    base = live_server.url
    page.goto(f"{base}{reverse('admin:login')}")
    page.fill("#id_login", "coord@example.gouv.fr")
    page.fill("#id_password", "coordinator-pass-2027")
    page.click("button[type=submit]:has-text('Se connecter')")
    page.wait_for_url(f"**{reverse('admin:index')}")

    page.goto(f"{base}{reverse('privacy:register')}")
    assert_no_serious_a11y_violations(page)
    page.locator("a", has_text="Exporter ou effacer").click()
    page.fill("#id_email", "alice@example.gouv.fr")
    page.locator("button", has_text="Voir ce qui est gardé").click()
    page.wait_for_load_state()
    assert "1 fiche EIG" in page.locator("main").inner_text()
    assert_no_serious_a11y_violations(page)
    with page.expect_download() as download:
        page.locator("a", has_text="Télécharger ses données").click()
    exported = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert exported["fellows"][0]["name"] == "Alice Martin"

    page.fill("#id_erase-reason", "Demande reçue le 3 mars")
    page.locator("label[for=id_erase-confirm]").click()
    page.locator("main button[type=submit]", has_text="Effacer").click()
    page.wait_for_load_state()
    assert "Effacement fait" in page.locator("main").inner_text()
    fellow = Fellow.objects.get(pk=fellow.pk)
    assert fellow.email == "" and "Alice" not in fellow.name

    page.goto(f"{base}{reverse('privacy:notices')}")
    assert_no_serious_a11y_violations(page)
