"""Browser: the 404 page, the open data page and the API documentation, with axe-core."""

import pytest
from django.urls import reverse

from tests.a11y import assert_no_serious_a11y_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_404_page_is_a_dsfr_page(page, live_server):
    response = page.goto(f"{live_server.url}/defis/ce-defi-n-existe-pas/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page non trouvée"
    assert page.locator("header.fr-header").is_visible()
    assert_no_serious_a11y_violations(page)


def test_open_data_table_fits_the_page(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{reverse('promotions:open_data')}")
    # The download links are visible without scrolling sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    link = page.locator("#open-data-table a", has_text="CSV").first
    box = link.bounding_box()
    assert box and box["x"] + box["width"] <= 1280
    assert page.locator('#header-navigation [aria-current="page"]').all_inner_texts() == [
        "Données ouvertes"
    ]
    assert_no_serious_a11y_violations(page)


def test_api_docs_load_without_any_other_host(page, live_server):
    """Redoc's own logo (cdn.redoc.ly) is blocked by the page's CSP: nothing leaves the portal."""
    reached = []
    page.on(
        "response",
        lambda r: (
            reached.append(r.url)
            if r.url.startswith("http") and not r.url.startswith(live_server.url)
            else None
        ),
    )
    blocked = []
    page.on("requestfailed", lambda r: blocked.append((r.url, r.failure)))
    response = page.goto(f"{live_server.url}{reverse('api:docs')}")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("h1")  # Redoc rendered the schema
    page.wait_for_load_state("networkidle")
    assert reached == []
    assert all("csp" in (failure or "").lower() for _url, failure in blocked), blocked
    assert_no_serious_a11y_violations(page)
