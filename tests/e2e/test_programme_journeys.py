"""Browser journeys of the ten months and after (Playwright, Debian Chromium, axe-core):
answer an event invitation from its email, post a progress update, file an outcome, edit one's
alumni entry, and record attendance on a 375 px wide phone screen."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from challenges.followup import services
from challenges.models import Outcome, ProgressUpdate
from promotions.alumni.services import alumni_profile_new_link
from promotions.events.services import (
    event_invitation_answer,
    event_invitations_create,
    event_invitations_send,
)
from promotions.models import AlumniSituation, Event, EventInvitation
from tests.a11y import assert_no_serious_a11y_violations
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    FellowFactory,
    MentorFactory,
    PromotionFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COORDINATOR_PASSWORD = "coordinator-pass-2027"  # tests/conftest.py


def tick(page, label):
    """Tick a DSFR checkbox with the keyboard (the native input is visually restyled)."""
    page.get_by_label(label).focus()
    page.keyboard.press("Space")


def test_answer_an_event_invitation_from_the_email(page, live_server, settings):
    settings.SITE_URL = live_server.url
    event = EventFactory(title="Séminaire au vert", capacity=1, place="Fontainebleau")
    first, me = (
        FellowFactory(promotion=event.promotion, email=f"{n}@example.org") for n in ("a", "b")
    )
    event_invitations_send(event=event)  # eager: the on-commit hooks run at once
    event_invitation_answer(invitation=EventInvitation.objects.get(fellow=first), answer="yes")
    email = next(m for m in mail.outbox if m.to == [me.email])
    assert email.attachments and email.attachments[0][0] == "evenement.ics"
    link = re.search(r"(http://\S+/accompagnement/invitation/\S+/)", email.body).group(1)
    page.goto(link)
    assert "Séminaire au vert" in page.inner_text("h1")
    assert_no_serious_a11y_violations(page)
    page.get_by_role("button", name="Oui, je participe").click()
    page.wait_for_load_state()
    assert "liste d'attente" in page.inner_text("main")
    assert_no_serious_a11y_violations(page)
    assert EventInvitation.objects.get(fellow=me).is_waitlisted


def test_post_a_progress_update(page, live_server):
    fellow = FellowFactory(email="eig@example.org")
    challenge = ChallengeFactory(promotion=fellow.promotion, fellows=[fellow], title="Défi cartes")
    ((_link, token),) = services.followup_links_create(challenge=challenge)
    page.goto(live_server.url + reverse("followup:team", args=[token]))
    assert_no_serious_a11y_violations(page)
    page.get_by_label("Avancement").fill("Prototype en test auprès de 12 agents.")
    page.get_by_label("Aide souhaitée").fill("Un regard sur la licence")
    tick(page, "Le défi est bloqué : prévenir la coordination")
    page.get_by_role("button", name="Publier le point d'étape").click()
    page.wait_for_load_state()
    assert "Votre point d'étape est publié." in page.inner_text("main")
    assert_no_serious_a11y_violations(page)
    update = ProgressUpdate.objects.get()
    assert update.is_blocked and update.help_wanted == "Un regard sur la licence"


def test_file_an_outcome_from_the_mentors_link(page, live_server):
    mentor = MentorFactory(email="mentor@example.org")
    challenge = ChallengeFactory(promotion=mentor.promotion, mentors=[mentor])
    ((_request, token),) = services.outcome_requests_create(
        challenge=challenge, milestone="end", due_on=dt.date(2027, 6, 30)
    )
    page.goto(live_server.url + reverse("followup:outcome", args=[token]))
    assert_no_serious_a11y_violations(page)
    page.get_by_label("État de production").select_option("in_production")
    page.get_by_label("Le produit est-il maintenu ?").select_option("yes")
    page.get_by_label("Nombre d'utilisateurs").fill("350")
    page.get_by_label("Adresse du code source").fill("https://code.example/defi")
    page.get_by_label("Jeux de données ouverts (une adresse par ligne)").fill(
        "https://data.example/a\nhttps://data.example/b"
    )
    page.get_by_role("button", name="Enregistrer la réalisation").click()
    page.wait_for_load_state()
    assert "La réalisation est enregistrée" in page.inner_text("main")
    assert_no_serious_a11y_violations(page)
    outcome = Outcome.objects.get()
    assert (outcome.users, len(outcome.datasets), outcome.as_of) == (350, 2, dt.date(2027, 6, 30))
    page.goto(live_server.url + challenge.get_absolute_url())
    assert "350 utilisateurs" in page.inner_text("#latest-outcome")


def test_edit_ones_alumni_entry(page, live_server):
    fellow = FellowFactory(name="Alice Martin", email="alice@example.org")
    _profile, token = alumni_profile_new_link(fellow=fellow)
    page.goto(live_server.url + reverse("alumni:edit", args=[token]))
    assert_no_serious_a11y_violations(page)
    tick(page, "Je souhaite figurer dans l'annuaire des alumni")
    page.get_by_label("Poste actuel").fill("Cheffe de produit")
    page.get_by_label("Situation actuelle").select_option("contractual")
    page.get_by_label("Comment être contacté·e").select_option("email")
    page.get_by_role("button", name="Enregistrer ma fiche").click()
    page.wait_for_load_state()
    assert "Indiquez comment vous joindre" in page.inner_text("main")  # nothing lost
    assert page.get_by_label("Poste actuel").input_value() == "Cheffe de produit"
    page.get_by_label("Courriel ou adresse du profil en ligne").fill("alice@example.org")
    page.get_by_role("button", name="Enregistrer ma fiche").click()
    page.wait_for_load_state()
    assert "Votre fiche est enregistrée" in page.inner_text("main")
    assert_no_serious_a11y_violations(page)
    assert AlumniSituation.objects.get().situation == "contractual"
    page.goto(live_server.url + reverse("alumni:directory"))
    assert "Alice Martin" in page.inner_text("main")


def test_record_attendance_on_a_phone(browser, live_server, coordinator):
    promotion = PromotionFactory()
    event = EventFactory(promotion=promotion, title="Session collective")
    for index, name in enumerate(("Alice", "Bruno", "Chloé")):
        FellowFactory(promotion=promotion, name=name, email=f"eig{index}@example.org")
    for invitation in event_invitations_create(event=event):
        event_invitation_answer(invitation=invitation, answer="yes")
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=30),
        ends_at=timezone.now() + dt.timedelta(hours=1),
    )
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_login", coordinator.email)
    page.fill("#id_password", COORDINATOR_PASSWORD)
    page.click("button[type=submit]:has-text('Se connecter')")
    page.wait_for_url(f"**{reverse('admin:index')}")
    page.goto(live_server.url + reverse("events:roll_call", args=[event.pk]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_serious_a11y_violations(page)
    tick(page, "Alice inscrit·e")
    tick(page, "Chloé inscrit·e")
    page.get_by_role("button", name="Enregistrer l'appel").click()
    page.wait_for_load_state()
    assert "2 personnes présentes" in page.inner_text("main")
    assert_no_serious_a11y_violations(page)
    attended = dict(EventInvitation.objects.values_list("fellow__name", "attended"))
    assert attended == {"Alice": True, "Bruno": False, "Chloé": True}
    context.close()
