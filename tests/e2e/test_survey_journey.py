"""Browser journey (Playwright, Debian Chromium): invitation email → link → two sittings → submit
→ back button → resubmit attempt → still one response; axe-core on each page."""

import re

import pytest
from django.core import mail

from promotions.models import Fellow, Promotion
from surveys import services
from surveys.definition_files import survey_import_definition
from surveys.models import Answer, Response
from tests.a11y import assert_no_serious_a11y_violations
from tests.surveys.conftest import SMALL_SURVEY

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def choose(page, label):
    """Tick a radio button or checkbox with the keyboard (DSFR hides the native input)."""
    page.get_by_label(label, exact=True).focus()
    page.keyboard.press("Space")


@pytest.fixture
def invitation_email(settings, live_server, django_capture_on_commit_callbacks):
    promotion = Promotion.objects.create(code="EIG 2", slug="eig-2", number=2, rank=2, year=2018)
    for name in ("Alice", "Bruno"):
        Fellow.objects.create(
            name=name, email=f"{name.lower()}@example.org", profile="developer", promotion=promotion
        )
    settings.SITE_URL = live_server.url
    survey = survey_import_definition(data=SMALL_SURVEY)
    survey.promotions.set([promotion])
    services.invitations_create(survey=survey)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_queue_sending(survey=survey)
    return next(m for m in mail.outbox if m.to == ["alice@example.org"])


def test_answer_in_two_sittings_submit_once_with_back_button(page, invitation_email, live_server):
    link = re.search(
        r"(http://\S+/questionnaires/r/[A-Za-z0-9_-]{43}/)", invitation_email.body
    ).group(1)

    # First sitting: start, answer section 1 with keyboard only, save and leave.
    page.goto(link)
    assert_no_serious_a11y_violations(page)
    page.get_by_role("link", name="Commencer").click()
    page.wait_for_url(re.compile(r"/section/1/$"))
    assert_no_serious_a11y_violations(page)
    why_not = page.get_by_label("Pourquoi pas ?")
    assert why_not.is_hidden()  # shown only when « Non »
    choose(page, "Non")
    assert why_not.is_visible()
    why_not.fill("Trop loin de chez moi 🚲 — à revoir")
    choose(page, "Rouge")
    page.get_by_role("button", name="Enregistrer et continuer plus tard").click()
    page.wait_for_url(re.compile(r"/enregistre/$"))
    assert_no_serious_a11y_violations(page)
    assert page.locator("#personal-link").input_value() == link

    # Second sitting in a fresh page: resumes with the saved answers.
    page.goto(link)
    page.get_by_role("link", name=re.compile("Reprendre")).click()
    assert (
        page.get_by_label("Pourquoi pas ?").input_value() == "Trop loin de chez moi 🚲 — à revoir"
    )
    page.get_by_role("button", name="Enregistrer et continuer", exact=True).click()
    page.wait_for_url(re.compile(r"/section/2/$"))
    assert_no_serious_a11y_violations(page)
    choose(page, "4")
    choose(page, "Git")
    choose(page, "Python")
    page.get_by_label("Heures").fill("12,5")
    page.get_by_role("button", name="Enregistrer et relire").click()
    page.wait_for_url(re.compile(r"/relecture/$"))
    assert_no_serious_a11y_violations(page)
    assert "Git ; Python" in page.content()

    page.get_by_role("button", name="Envoyer ma réponse").click()
    page.wait_for_url(re.compile(r"/reponse/$"))
    assert_no_serious_a11y_violations(page)
    assert "Votre réponse a été envoyée" in page.content()

    # Back button to the review page, then a second submission attempt.
    page.go_back()
    page.wait_for_url(re.compile(r"/(relecture|reponse)/$"))
    if page.url.endswith("/relecture/"):
        page.get_by_role("button", name="Envoyer ma réponse").click()
    page.wait_for_url(re.compile(r"/reponse/$"))
    # And a direct POST replay from the page (as a double click or another tab would do).
    status = page.evaluate(
        """async (url) => {
            const csrf = document.cookie.match(/csrftoken=([^;]+)/);
            const r = await fetch(url, {method: 'POST', headers: {'X-CSRFToken': csrf ? csrf[1] : ''},
                                        redirect: 'manual'});
            return r.status;
        }""",
        link + "relecture/",
    )
    assert status in (0, 302)  # redirected to the read-only page, nothing created
    assert Response.objects.count() == 1
    response = Response.objects.get()
    assert response.status == "submitted"
    assert Answer.objects.get(response=response, question__code="why_not").text == (
        "Trop loin de chez moi 🚲 — à revoir"
    )
    assert sorted(
        Answer.objects.get(response=response, question__code="tools").choices.values_list(
            "code", flat=True
        )
    ) == ["git", "python"]
