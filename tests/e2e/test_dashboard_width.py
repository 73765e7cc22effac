"""Browser: at 1440 px, « Le programme en chiffres » shows its Total column without horizontal
scrolling, and the footer pages pass axe-core."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.a11y import assert_no_serious_a11y_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_total_column_is_visible_at_1440_px(page, live_server, coordinator):
    call_command("import_eig_data", verbosity=0)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_login", "coord@example.gouv.fr")
    page.fill("#id_password", "coordinator-pass-2027")
    page.click("button[type=submit]:has-text('Se connecter')")
    page.wait_for_url(f"**{reverse('admin:index')}")
    page.goto(f"{live_server.url}{reverse('promotions:dashboard')}")

    header = page.locator('#figures-table th[data-column="total"]')
    cells = page.locator('#figures-table td[data-column="total"]')
    assert cells.count() >= 10
    for box in [header.bounding_box()] + [cells.nth(i).bounding_box() for i in range(3)]:
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1440, box
    container = page.locator("#figures-table .fr-table__container")
    scroll = container.evaluate("el => el.scrollWidth - el.clientWidth")
    assert scroll <= 1, f"the table scrolls horizontally by {scroll} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    assert_no_serious_a11y_violations(page)


@pytest.mark.parametrize(
    "name", ["home", "pages:accessibility", "pages:legal", "pages:sitemap", "privacy:public"]
)
def test_footer_pages_pass_axe(page, live_server, name):
    page.goto(f"{live_server.url}{reverse(name)}")
    assert page.locator("footer .fr-footer__bottom-link").count() >= 6
    assert_no_serious_a11y_violations(page)
