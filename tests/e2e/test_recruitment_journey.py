"""Browser journey of the call for candidates (Playwright, Debian Chromium): a candidate applies
in two sittings, a coordinator pre-selects them, a mentor on the défi's jury scores them, the
candidate books an interview from the emailed link, the coordinator runs the matching, confirms
the team and the candidate receives the decision email. axe-core on each page (no serious or
critical violation)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from challenges.models import Application, JuryMember
from challenges.recruitment import jury
from promotions.models import Fellow
from tests.a11y import assert_no_serious_a11y_violations
from tests.challenges.recruitment.builders import (
    PDF,
    make_candidate,
    make_opening,
    make_recruitment_call,
)
from tests.e2e.test_jury_journey import admin_log_in, run_admin_action
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Candidat-mot-de-passe-2027"
MENTOR_PASSWORD = "Mentor-mot-de-passe-2027"


def log_in(page, base, email, password, next_url):
    page.goto(f"{base}{reverse('account_login')}?next={next_url}")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.click("button[type=submit]:has-text('Se connecter')")
    page.wait_for_url(f"**{next_url}**")


def first_sitting(page, base, call, opening, candidate):
    page.goto(f"{base}{call.get_absolute_url()}")
    assert "Salaire commun" in page.inner_text("main")
    assert_no_serious_a11y_violations(page)
    log_in(page, base, candidate.email, PASSWORD, reverse("recruitment:apply", args=[call.slug]))
    assert_no_serious_a11y_violations(page)
    page.click("button:has-text('Commencer ma candidature')")
    page.wait_for_url("**/identite/")
    page.fill("#id_first_name", "Ada")
    page.fill("#id_last_name", "Lovelace")
    page.click("label[for=id_profile_0]")
    assert_no_serious_a11y_violations(page)
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert "Brouillon enregistré" in page.inner_text("body")


def second_sitting(page, base, opening, candidate, tmp_path):
    application = Application.objects.get(candidate=candidate)
    log_in(page, base, candidate.email, PASSWORD, application.get_absolute_url())
    page.click("text=Reprendre ma candidature")
    assert page.input_value("#id_last_name") == "Lovelace"
    page.click("button[name=continue]")
    page.wait_for_url("**/defis/")
    page.select_option("#id_challenge_1", str(opening.challenge_id))
    page.fill("#id_motivation_1", "Les données de l'eau me passionnent.")
    assert_no_serious_a11y_violations(page)
    page.click("button[name=continue]")
    page.wait_for_url("**/documents/")
    cv = tmp_path / "cv-ada.pdf"
    cv.write_bytes(PDF)
    page.set_input_files("#id_cv_file", str(cv))
    page.fill("#id_portfolio_url", "https://ada.example.org")
    page.fill("#id_available_from", "2027-09-01")
    page.fill("#id_heard_from", "Un ami")
    assert_no_serious_a11y_violations(page)
    page.click("button[name=continue]")
    page.wait_for_url("**/depot/")
    page.click("label[for=id_notice]")
    assert_no_serious_a11y_violations(page)
    page.click("button:has-text('Déposer ma candidature')")
    page.wait_for_url(f"**{application.get_absolute_url()}")
    assert "Déposée" in page.inner_text("main")
    assert_no_serious_a11y_violations(page)
    return application


def mentor_scores(page, base, opening, application):
    user = UserFactory(username="mentor", email="mentor@example.gouv.fr", password=MENTOR_PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    jury.jury_member_add(
        challenge=opening.challenge, user=user, kind=JuryMember.Kind.MENTOR, by=None
    )
    target = reverse("recruitment:jury_challenge", args=[opening.challenge_id])
    log_in(page, base, user.email, MENTOR_PASSWORD, target)
    assert_no_serious_a11y_violations(page)
    page.click("text=Ada Lovelace")
    assert "Les données de l'eau" in page.inner_text("main")
    for criterion in application.call.criteria.all():
        page.select_option(f"#id_score_{criterion.pk}", "4")
    assert_no_serious_a11y_violations(page)
    page.click("button[name=submit]")
    page.wait_for_url(f"**{target}")
    page.click("text=Voir le classement du défi")
    assert "4,00" in page.inner_text("main")
    assert_no_serious_a11y_violations(page)


def coordinator_invites(page, base, coordinator, opening, application):
    admin_log_in(page, base, coordinator)
    page.goto(
        f"{base}{reverse('admin:challenges_application_changelist')}?profile__exact=developer"
    )
    page.check(f"input[name=_selected_action][value='{application.pk}']")
    run_admin_action(page, "Présélectionner")
    assert "1 présélectionnée." in page.inner_text("body")
    page.goto(f"{base}{reverse('recruitment:slots', args=[opening.challenge_id])}")
    page.fill("#id_starts_at", "2030-03-01T10:00")
    page.fill("#id_ends_at", "2030-03-01T10:45")
    page.fill("#id_place", "20 avenue de Ségur, Paris")
    page.click("button[name=open_slot]")
    page.wait_for_load_state()
    assert_no_serious_a11y_violations(page)
    mail.outbox.clear()
    page.click(f"button[name=invite][value='{application.pk}']")
    page.wait_for_load_state()


def candidate_books(page, base):
    invitation = mail.outbox[-1].body
    link = re.search(r"https?://\S+/recrutement/entretien/[0-9a-f-]+/", invitation).group(0)
    page.goto(f"{base}{link[link.index('/recrutement/') :]}")
    assert_no_serious_a11y_violations(page)
    page.click("label:has-text('Ségur')")
    page.click("button:has-text('Réserver ce créneau')")
    page.wait_for_load_state()
    assert "Votre créneau" in page.inner_text("main")
    assert "Ségur" in mail.outbox[-1].body


def test_apply_score_book_match_confirm_and_email(
    page, live_server, coordinator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    call = make_recruitment_call(title="Appel à candidatures EIG 8")
    opening = make_opening(call, developers=1, designers=1)
    candidate = make_candidate(username="ada", email="ada@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=candidate, email=candidate.email, verified=True, primary=True)

    first_sitting(page, base, call, opening, candidate)
    page.context.clear_cookies()
    application = second_sitting(page, base, opening, candidate, tmp_path)
    page.context.clear_cookies()
    coordinator_invites(page, base, coordinator, opening, application)
    page.context.clear_cookies()
    candidate_books(page, base)
    page.context.clear_cookies()
    mentor_scores(page, base, opening, application)

    page.context.clear_cookies()
    admin_log_in(page, base, coordinator)
    page.goto(f"{base}{reverse('recruitment:slots', args=[opening.challenge_id])}")
    page.click("button[name=held]")
    page.wait_for_load_state()
    page.goto(f"{base}{reverse('recruitment:matching', args=[call.slug])}")
    page.click("button[name=propose]")
    page.wait_for_load_state()
    assert "Ada Lovelace" in page.inner_text("main")
    assert_no_serious_a11y_violations(page)
    mail.outbox.clear()
    page.click(f"button[name=confirm][value='{opening.challenge_id}']")
    page.wait_for_load_state()
    assert "Équipe confirmée" in page.inner_text("body")

    fellow = Fellow.objects.get()
    assert (fellow.name, fellow.promotion) == ("Ada Lovelace", call.promotion)
    decision = [m for m in mail.outbox if "ada@example.org" in m.to]
    assert len(decision) == 1 and "Félicitations" in decision[0].body
