"""Browser: a list filter over a large table is a search box (select2): typing finds the
administration, choosing it reloads the list filtered, other filters kept; the page passes
axe-core."""

import pytest
from django.urls import reverse

from challenges.models import Challenge
from tests.a11y import assert_no_serious_a11y_violations
from tests.factories import AdministrationFactory, ChallengeFactory, PromotionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_defis_are_filtered_by_an_administration_found_by_typing(page, live_server, coordinator):
    promotion = PromotionFactory()
    sante = AdministrationFactory(name="Agence du numérique en santé")
    ChallengeFactory(title="Données de santé", administration=sante, promotion=promotion)
    ChallengeFactory(title="Cadastre solaire", promotion=promotion)
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_login", "coord@example.gouv.fr")
    page.fill("#id_password", "coordinator-pass-2027")
    page.click("button[type=submit]:has-text('Se connecter')")
    page.wait_for_url(f"**{reverse('admin:index')}")

    changelist = reverse("admin:challenges_challenge_changelist")
    page.goto(f"{live_server.url}{changelist}?is_public__exact=1")
    assert page.locator("#result_list tbody tr").count() == 2
    assert_no_serious_a11y_violations(page)

    page.locator(".portal-autocomplete-filter .select2-selection").click()
    page.locator(".select2-search__field").fill("numérique")
    page.locator(".select2-results__option", has_text="Agence du numérique en santé").click()
    page.wait_for_url(f"**administration__id__exact={sante.pk}**")
    assert "is_public__exact=1" in page.url
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1 and "Données de santé" in rows.first.inner_text()
    assert Challenge.objects.count() == 2
    assert_no_serious_a11y_violations(page)
