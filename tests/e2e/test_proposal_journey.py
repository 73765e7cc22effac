"""Browser journey 1 (Playwright, Debian Chromium): an agent signs up (email verification), fills a
proposal over two visits (draft kept), attaches a PDF and submits; axe-core on each page.

The steps are plain functions so jury and selection journeys can continue the journey:
``proposal = agent_submits_a_proposal(page, live_server.url, call)`` then go on as a coordinator.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from challenges.models import ChallengeProposal
from promotions.models import Administration
from tests.a11y import assert_no_serious_a11y_violations
from tests.challenges.call_builders import make_call
from tests.pdfs import make_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AGENT_EMAIL = "lea.petit@interieur.example.gouv.fr"
AGENT_PASSWORD = "Un-mot-de-passe-solide-2027"
PDF = make_pdf()


@pytest.fixture
def open_call(settings, tmp_path):
    """A published call closing in ten days and a confirmed administration to choose."""
    settings.MEDIA_ROOT = tmp_path
    Administration.objects.create(name="Ministère de l'Intérieur")
    return make_call(title="Appel à projets EIG 8", weights=(3, 2, 1))


def tick(page, field_id):
    """Tick a DSFR checkbox (the native input is drawn by its label)."""
    page.click(f"label[for={field_id}]")
    assert page.is_checked(f"#{field_id}")


def sign_up_and_verify(page, base):
    """Sign up as an agent of the Ministère de l'Intérieur and follow the verification link."""
    page.goto(f"{base}{reverse('account_signup')}")
    assert_no_serious_a11y_violations(page)
    page.fill("#id_email", AGENT_EMAIL)
    page.fill("#id_first_name", "Léa")
    page.fill("#id_last_name", "Petit")
    page.select_option("#id_administration", label="Ministère de l'Intérieur")
    page.fill("#id_password1", AGENT_PASSWORD)
    page.fill("#id_password2", AGENT_PASSWORD)
    page.click("button[type=submit]:has-text('Créer mon compte')")
    page.wait_for_url(f"**{reverse('account_email_verification_sent')}")
    assert_no_serious_a11y_violations(page)

    message = next(m for m in mail.outbox if AGENT_EMAIL in m.to)
    path = re.search(r"/comptes/confirm-email/[^/\s]+/", message.body).group(0)
    page.goto(f"{base}{path}")
    assert_no_serious_a11y_violations(page)
    page.click("button[type=submit]:has-text('Confirmer')")
    page.wait_for_load_state()


def log_in(page, base, next_url=""):
    page.goto(f"{base}{reverse('account_login')}?next={next_url}")
    assert_no_serious_a11y_violations(page)
    page.fill("#id_login", AGENT_EMAIL)
    page.fill("#id_password", AGENT_PASSWORD)
    page.click("button[type=submit]:has-text('Se connecter')")
    page.wait_for_load_state()


def first_visit_starts_a_draft(page, base, call) -> ChallengeProposal:
    """Open the call, start a proposal, save two sections, leave."""
    page.goto(f"{base}{reverse('calls:list')}")
    assert "heure de Paris" in page.inner_text("main")
    assert_no_serious_a11y_violations(page)
    page.click(f"text={call.title}")
    assert_no_serious_a11y_violations(page)
    page.click("text=Proposer un défi")
    assert_no_serious_a11y_violations(page)
    page.fill("#id_summary", "Identifier une arme sur le terrain en quelques secondes.")
    page.fill("#id_title", "Basegun")
    page.fill("#id_context", "Les forces de l'ordre saisissent 6 à 7 000 armes par an.")
    page.fill("#id_objectives", "Une application qui classe une arme à partir d'une photo.")
    page.fill("#id_beneficiaries", "Gendarmes, policiers et policières.")
    page.click("button:has-text('Enregistrer et continuer')")
    page.wait_for_url("**/etape/environnement/")
    assert_no_serious_a11y_violations(page)
    page.fill("#id_available_data", "Photos d'armes du référentiel (20 000 images).")
    page.fill("#id_systems", "Référentiel général des armes.")
    tick(page, "id_commits_equipment")
    tick(page, "id_commits_internet_access")
    page.click("button:has-text('Enregistrer le brouillon')")
    page.wait_for_url("**/etape/environnement/")
    proposal = ChallengeProposal.objects.get(title="Basegun")
    assert proposal.status == ChallengeProposal.Status.DRAFT
    assert proposal.commits_internet_access
    return proposal


def enter_in_cofunding_saves_and_keeps_the_attachment(page, proposal):
    """Enter in « Part de cofinancement » saves the draft; « Supprimer » asks first."""
    assert "presentation.pdf" in page.inner_text("main")
    page.fill("#id_cofunding_share", "35")
    page.press("#id_cofunding_share", "Enter")
    page.wait_for_url("**/etape/financement/")
    proposal.refresh_from_db()
    assert proposal.cofunding_share == 35 and proposal.attachments.count() == 1
    assert "presentation.pdf" in page.inner_text("main")
    # Deleting saves what was typed, then asks for confirmation; cancelling keeps everything.
    page.fill("#id_funding_notes", "Cofinancement par la direction.")
    page.click("button:has-text('Supprimer')")
    page.wait_for_url("**/suppression/")
    assert_no_serious_a11y_violations(page)
    page.click("a:has-text('Annuler et revenir au formulaire')")
    page.wait_for_url("**/etape/financement/")
    assert page.input_value("#id_funding_notes") == "Cofinancement par la direction."
    assert proposal.attachments.count() == 1


def second_visit_completes_and_submits(page, base, proposal):
    """Come back later (new session), find the draft, complete it, attach a PDF and submit."""
    log_in(page, base, reverse("proposals:list"))
    page.wait_for_url(f"**{reverse('proposals:list')}")
    assert_no_serious_a11y_violations(page)
    page.click("text=Basegun")
    assert_no_serious_a11y_violations(page)
    page.click("a:has-text('Modifier')")
    assert page.input_value("#id_context").startswith("Les forces de l'ordre")  # draft kept
    page.goto(f"{base}{reverse('proposals:edit', args=[proposal.pk, 'equipe'])}")
    for field, value in {
        "mentor_name": "Camille Martin",
        "mentor_position": "Cheffe du service central des armes",
        "mentor_email": "camille.martin@interieur.example.gouv.fr",
        "mentor_time_commitment": "Deux demi-journées par semaine",
        "sponsor_name": "Dominique Bernard",
        "sponsor_position": "Directeur",
        "sponsor_email": "dominique.bernard@interieur.example.gouv.fr",
        "sponsor_time_commitment": "Un point par mois",
    }.items():
        page.fill(f"#id_{field}", value)
    # A mistyped address: the error is listed at the top and beside the field, typing kept.
    page.fill("#id_mentor_email", "camille.martin")
    page.click("button:has-text('Enregistrer et continuer')")
    assert page.locator(".dsfr-crispy-error-summary a[href='#id_mentor_email']").is_visible()
    assert page.locator("#id_mentor_email-desc-error").is_visible()
    assert page.input_value("#id_sponsor_name") == "Dominique Bernard"
    assert_no_serious_a11y_violations(page)
    page.fill("#id_mentor_email", "camille.martin@interieur.example.gouv.fr")
    page.click("button:has-text('Enregistrer et continuer')")
    page.wait_for_url("**/etape/profils/")
    page.fill("#id_developers_wanted", "1")
    page.fill("#id_data_scientists_wanted", "1")
    assert_no_serious_a11y_violations(page)
    page.click("button:has-text('Enregistrer et continuer')")
    page.wait_for_url("**/etape/financement/")
    page.fill("#id_cofunding_share", "30")
    page.set_input_files(
        "#id_attachment", {"name": "presentation.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    assert_no_serious_a11y_violations(page)
    page.click("button:has-text('Enregistrer le brouillon')")
    page.wait_for_url("**/etape/financement/")
    enter_in_cofunding_saves_and_keeps_the_attachment(page, proposal)
    page.click("button:has-text('Enregistrer et continuer')")
    page.wait_for_url("**/depot/")
    assert "presentation.pdf" in page.inner_text("main")
    assert_no_serious_a11y_violations(page)
    page.click("button:has-text('Déposer la candidature')")
    page.wait_for_url(f"**{proposal.get_absolute_url()}")
    assert "Déposée" in page.inner_text("main")
    assert "Version 1, déposée le" in page.inner_text("main")
    assert_no_serious_a11y_violations(page)


def agent_submits_a_proposal(page, base, call) -> ChallengeProposal:
    """The whole agent side of journey 1; returns the submitted proposal (for the jury part)."""
    sign_up_and_verify(page, base)
    proposal = first_visit_starts_a_draft(page, base, call)
    page.context.clear_cookies()  # the agent leaves; a later visit is a new session
    second_visit_completes_and_submits(page, base, proposal)
    proposal.refresh_from_db()
    return proposal


def test_agent_signs_up_drafts_over_two_visits_and_submits(page, live_server, open_call):
    proposal = agent_submits_a_proposal(page, live_server.url, open_call)
    assert proposal.status == ChallengeProposal.Status.SUBMITTED
    assert proposal.versions.count() == 1
    assert proposal.attachments.get().original_name == "presentation.pdf"
    assert proposal.administration.name == "Ministère de l'Intérieur"
    assert proposal.created_by.email == AGENT_EMAIL
