"""Journey: anyone goes from the home page to the défis, filters them and opens one."""

import pytest
from django.urls import reverse

from challenges.importers import import_eig_data
from tests.a11y import assert_no_serious_a11y_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_finds_a_challenge_from_the_home_page(page, live_server):
    import_eig_data()

    page.goto(f"{live_server.url}{reverse('home')}")
    assert page.locator("h1").inner_text() == "Entrepreneurs d'intérêt général"
    assert page.locator("#home-promotions ~ div .fr-tile").count() == 8
    assert_no_serious_a11y_violations(page)

    page.locator("a.fr-btn", has_text="Découvrir les défis").click()
    page.wait_for_url(f"**{reverse('challenges:list')}")
    assert page.locator("#challenge-count").inner_text() == "131 défis trouvés"
    assert page.locator(".fr-pagination").is_visible()
    assert_no_serious_a11y_violations(page)

    page.select_option("#id_promotion", "eig-4")
    page.fill("#id_q", "santé")
    page.locator("#challenge-filters button[type=submit]", has_text="Filtrer").click()
    page.wait_for_url("**promotion=eig-4**")
    titles = page.locator("#challenge-results .fr-card__title").all_inner_texts()
    assert "ADEX" in titles
    assert page.input_value("#id_q") == "santé"
    assert_no_serious_a11y_violations(page)

    page.locator("#challenge-results .fr-card__title a", has_text="ADEX").click()
    page.wait_for_url("**/defis/adex/")
    assert page.locator("h1").inner_text() == "ADEX"
    assert page.locator("#key-figures li").count() == 3
    assert "3 EIG" in page.locator("#challenge-facts").inner_text()
    assert page.locator("#challenge-description h2").count() >= 1
    assert_no_serious_a11y_violations(page)

    page.locator("a.fr-tag", has_text="EIG 4").click()
    page.wait_for_url(f"**{reverse('promotions:detail', args=['eig-4'])}")
    assert page.locator("h1").inner_text().startswith("EIG 4")
    assert_no_serious_a11y_violations(page)

    page.goto(f"{live_server.url}{reverse('promotions:list')}")
    assert page.locator("#promotions-table tbody tr").count() == 8
    assert_no_serious_a11y_violations(page)
