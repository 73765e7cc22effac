"""Journey 3 (coordinator side): follow-up, results with filters, import page — axe-core clean."""

import pytest
from django.urls import reverse

from tests.a11y import assert_no_serious_a11y_violations
from tests.surveys.builders import build_2019_response_set

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_reads_follow_up_and_results(page, live_server, coordinator):
    build_2019_response_set()
    index = reverse("survey_results:index")
    page.goto(f"{live_server.url}{reverse('admin:login')}?next={index}")
    page.fill("#id_login", "coord@example.gouv.fr")
    page.fill("#id_password", "coordinator-pass-2027")
    page.click("button[type=submit]:has-text('Se connecter')")
    page.wait_for_url(f"**{index}")
    assert_no_serious_a11y_violations(page)

    page.click("a[href$='/eig-2019-fellows/']")
    assert "21 réponses envoyées sur 39 invitations" in page.locator("main").inner_text()
    assert page.locator("#rates-chart-title").count() == 1
    assert_no_serious_a11y_violations(page)

    page.goto(f"{live_server.url}{reverse('survey_results:results', args=['eig-2019-fellows'])}")
    table = page.locator("#table-tech_env_adapted")
    assert "67\u202f% (14)" in table.inner_text()
    assert_no_serious_a11y_violations(page)

    page.select_option("#id_promotion", "eig-1")
    page.click("#results-filter button[type=submit]")
    page.wait_for_url("**promotion=eig-1**")
    assert "6 réponses envoyées" in page.locator("main").inner_text()
    assert_no_serious_a11y_violations(page)

    page.goto(f"{live_server.url}{reverse('survey_results:import', args=['eig-2019-fellows'])}")
    assert_no_serious_a11y_violations(page)
    page.goto(f"{live_server.url}{reverse('promotions:dashboard')}")
    assert page.locator("#pinned-survey-results").count() == 1
    assert_no_serious_a11y_violations(page)
