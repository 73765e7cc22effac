"""Browser: the admin's change, add, import and export pages pass axe-core (no serious or
critical violation), including inline rows added on the page (static/js/admin-a11y.js)."""

import pytest
from django.urls import reverse

from challenges.models import CallForProjects, Challenge
from promotions.importers import import_eig_data
from promotions.models import Administration, Fellow, Mentor, PrintedTotal, Promotion
from surveys.models import Question
from tests.a11y import assert_no_serious_a11y_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, base):
    page.goto(f"{base}{reverse('admin:login')}")
    page.fill("#id_login", "coord@example.gouv.fr")
    page.fill("#id_password", "coordinator-pass-2027")
    page.click("button[type=submit]:has-text('Se connecter')")
    page.wait_for_url(f"**{reverse('admin:index')}")


def _admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_admin_forms_have_no_serious_a11y_violation(page, live_server, coordinator):
    import_eig_data()
    from surveys.definition_files import load_shipped_2019_surveys

    load_shipped_2019_surveys()
    _login(page, live_server.url)
    challenge = Challenge.objects.filter(fellows__isnull=False).first()
    pages = [
        _admin_url(Promotion, "change", Promotion.objects.get(code="EIG 1").pk),
        _admin_url(Administration, "change", Administration.objects.first().pk),
        _admin_url(Fellow, "change", challenge.fellows.first().pk),
        _admin_url(Mentor, "change", Mentor.objects.filter(challenges__isnull=False).first().pk),
        _admin_url(PrintedTotal, "change", PrintedTotal.objects.first().pk),
        _admin_url(Challenge, "change", challenge.pk),
        _admin_url(Challenge, "add"),
        _admin_url(CallForProjects, "add"),
        _admin_url(Question, "change", Question.objects.filter(choices__isnull=False).first().pk),
        _admin_url(Fellow, "export"),
        _admin_url(Fellow, "import"),
    ]
    for url in pages:
        page.goto(f"{live_server.url}{url}")
        assert page.locator("#content h1").count() == 1, url
        assert_no_serious_a11y_violations(page)

    # A row added by « Ajouter un objet … » in an inline is named too.
    page.goto(f"{live_server.url}{_admin_url(Promotion, 'change', Promotion.objects.first().pk)}")
    page.locator(".add-row a").first.click()
    assert_no_serious_a11y_violations(page)
    label = page.locator("#id_budget_lines-0-amount").get_attribute("aria-label")
    assert label and label.startswith("Montant")
