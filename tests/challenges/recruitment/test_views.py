"""Pages of the call for candidates: public call, sign-up, the multi-step application, the
candidate's page, the jury's pages, interview booking, slots and teams for coordinators."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from challenges.models import Application, ApplicationVersion, CandidateAccount, JuryMember
from challenges.recruitment import interviews, jury
from tests.factories import UserFactory

from .builders import (
    make_application,
    make_candidate,
    make_opening,
    make_recruitment_call,
    pdf_file,
)

pytestmark = pytest.mark.django_db
Status = Application.Status


@pytest.fixture
def call():
    return make_recruitment_call()


@pytest.fixture
def opening(call):
    return make_opening(call, conditions="**Salaire commun** : 3 500 € bruts")


# --- public ---------------------------------------------------------------------------------


def test_the_call_page_lists_open_defis_with_places_and_conditions(client, call, opening):
    response = client.get(call.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert opening.challenge.title in html
    assert "<strong>Salaire commun</strong>" in html
    assert "Candidater" in html
    assert "heure de Paris" in html


def test_an_unpublished_call_is_not_found(client):
    call = make_recruitment_call(is_published=False)
    assert client.get(call.get_absolute_url()).status_code == 404


def test_the_call_page_refuses_post(client, call):
    assert client.post(call.get_absolute_url()).status_code == 405


def test_an_open_defi_page_says_candidater(client, call, opening):
    html = client.get(opening.challenge.get_absolute_url()).content.decode()
    assert reverse("recruitment:apply", args=[call.slug]) in html


def test_applying_anonymously_leads_to_the_candidate_sign_up(client, call):
    response = client.get(reverse("recruitment:apply", args=[call.slug]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("recruitment:signup"))


def test_the_candidate_sign_up_creates_a_candidate_whose_email_must_be_verified(client, call):
    target = reverse("recruitment:apply", args=[call.slug])
    response = client.post(
        reverse("recruitment:signup"),
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "Ada@Example.org",
            "password1": "une-phrase-de-passe-longue",
            "password2": "une-phrase-de-passe-longue",
            "next": target,
        },
    )
    assert response.status_code == 302
    account = CandidateAccount.objects.get()
    assert account.user.email == "ada@example.org"
    assert len(mail.outbox) == 1  # allauth's email confirmation
    assert not client.session.get("_auth_user_id")


def test_the_sign_up_keeps_what_was_typed_on_an_error(client):
    response = client.post(
        reverse("recruitment:signup"),
        {"first_name": "Ada", "email": "pas-une-adresse", "password1": "a", "password2": "b"},
    )
    assert response.status_code == 200
    assert 'value="Ada"' in response.content.decode()
    assert not CandidateAccount.objects.exists()


# --- the application ----------------------------------------------------------------------------


def test_starting_twice_gives_one_application_with_the_chosen_defi(client, call, opening):
    candidate = make_candidate()
    client.force_login(candidate)
    url = reverse("recruitment:apply", args=[call.slug])
    data = {
        "creation_token": "1b4f8921-0000-4000-8000-000000000000",
        "defi": opening.challenge.slug,
    }
    first = client.post(url, data)
    second = client.post(url, data)
    application = Application.objects.get()
    assert first.url == second.url == reverse("recruitment:edit", args=[application.pk, "identite"])
    assert list(application.choices.values_list("challenge_id", flat=True)) == [
        opening.challenge_id
    ]


def test_an_agent_account_cannot_apply(client, call):
    from challenges.models import AgentProfile
    from tests.factories import AdministrationFactory

    user = UserFactory()
    AgentProfile.objects.create(user=user, administration=AdministrationFactory())
    client.force_login(user)
    response = client.post(reverse("recruitment:apply", args=[call.slug]))
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_the_form_is_filled_over_two_sittings_and_submitted_once(client, call, opening):
    candidate = make_candidate()
    client.force_login(candidate)
    client.post(reverse("recruitment:apply", args=[call.slug]), {"defi": ""})
    application = Application.objects.get()
    edit = lambda step: reverse("recruitment:edit", args=[application.pk, step])  # noqa: E731
    client.post(
        edit("identite"),
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": candidate.email,
            "profile": "developer",
        },
    )
    # Second sitting: the draft is there.
    assert 'value="Lovelace"' in client.get(edit("identite")).content.decode()
    response = client.post(
        edit("defis"),
        {"challenge_1": opening.challenge_id, "motivation_1": "Parce que.", "continue": "1"},
    )
    assert response.url == edit("documents")
    client.post(
        edit("documents"),
        {
            "cv_file": pdf_file(),
            "portfolio_url": "https://ada.example.org",
            "available_from": "2027-09-01",
            "heard_from": "Un ami",
        },
    )
    submit = reverse("recruitment:submit", args=[application.pk])
    application.refresh_from_db()
    data = {"version": application.version, "notice": "on"}
    assert client.post(submit, data).status_code == 302
    assert client.post(submit, data).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert ApplicationVersion.objects.filter(application=application).count() == 1


def test_a_bad_url_and_a_fake_pdf_are_refused_beside_their_field(client, call, opening):
    candidate = make_candidate()
    client.force_login(candidate)
    client.post(reverse("recruitment:apply", args=[call.slug]))
    application = Application.objects.get()
    response = client.post(
        reverse("recruitment:edit", args=[application.pk, "documents"]),
        {"cv_file": pdf_file("cv.pdf", b"not a pdf"), "forge_url": "pas une url"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "pas un PDF" in html and "pas une url" in html
    application.refresh_from_db()
    assert not application.cv


def test_a_motivation_over_3000_characters_is_refused(client, call, opening):
    candidate = make_candidate()
    client.force_login(candidate)
    client.post(reverse("recruitment:apply", args=[call.slug]))
    application = Application.objects.get()
    response = client.post(
        reverse("recruitment:edit", args=[application.pk, "defis"]),
        {"challenge_1": opening.challenge_id, "motivation_1": "x" * 3001},
    )
    assert response.status_code == 200
    assert not application.choices.exists()


def test_another_candidate_gets_404_everywhere(client, call, opening):
    application = make_application(call, candidate=make_candidate(), challenges=[opening.challenge])
    client.force_login(make_candidate())
    for name, args in (
        ("recruitment:application", [application.pk]),
        ("recruitment:edit", [application.pk, "identite"]),
        ("recruitment:submit", [application.pk]),
        ("recruitment:withdraw", [application.pk]),
        ("recruitment:cv", [application.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404
    assert client.post(reverse("recruitment:data", args=[application.pk])).status_code == 404


def test_the_candidate_sees_status_and_messages_never_scores(client, call, opening, coordinator):
    from challenges.recruitment.services import application_change_status

    candidate = make_candidate()
    application = make_application(call, candidate=candidate, challenges=[opening.challenge])
    application_change_status(
        application=application, to_status=Status.PRESELECTED, by=coordinator, message="Bienvenue !"
    )
    member = jury.jury_member_add(
        challenge=opening.challenge, user=UserFactory(), kind=JuryMember.Kind.OUTSIDE, by=None
    )
    c1, c2 = call.criteria.values_list("pk", flat=True)
    jury.jury_review_save(
        member=member,
        choice=application.choices.get(),
        by=member.user,
        scores={c1: 5, c2: 1},
        comment="Avis secret du jury",
        submit=True,
    )
    client.force_login(candidate)
    html = client.get(application.get_absolute_url()).content.decode()
    assert "Présélectionnée" in html and "Bienvenue !" in html
    assert "Avis secret" not in html and "3,67" not in html and "3.67" not in html
    data = json.loads(client.post(reverse("recruitment:data", args=[application.pk])).content)
    assert data["email"] == candidate.email
    assert "Avis secret" not in json.dumps(data)


def test_the_candidate_withdraws_and_deletes_a_draft(client, call, opening):
    candidate = make_candidate()
    application = make_application(call, candidate=candidate)
    client.force_login(candidate)
    assert client.get(reverse("recruitment:data", args=[application.pk])).status_code == 405
    client.post(reverse("recruitment:withdraw", args=[application.pk]), {"message": "Autre projet"})
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    other = make_recruitment_call()
    draft = make_application(other, candidate=candidate, status=Status.DRAFT)
    client.post(reverse("recruitment:delete", args=[draft.pk]))
    assert not Application.objects.filter(pk=draft.pk).exists()


# --- jury ---------------------------------------------------------------------------------------


def _member(opening):
    return jury.jury_member_add(
        challenge=opening.challenge, user=UserFactory(), kind=JuryMember.Kind.MENTOR, by=None
    )


def test_a_non_member_gets_404_on_the_jury_pages(client, call, opening):
    application = make_application(call, challenges=[opening.challenge], status=Status.PRESELECTED)
    choice = application.choices.get()
    client.force_login(UserFactory())
    for name, args in (
        ("recruitment:jury_challenge", [opening.challenge_id]),
        ("recruitment:jury_ranking", [opening.challenge_id]),
        ("recruitment:jury_review", [opening.challenge_id, choice.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404
    assert client.get(reverse("recruitment:jury_home")).status_code == 200


def test_a_member_scores_a_candidate_and_sees_the_ranking(
    client, call, opening, django_assert_max_num_queries
):
    member = _member(opening)
    screened = make_application(call, challenges=[opening.challenge], status=Status.PRESELECTED)
    hidden = make_application(call, challenges=[opening.challenge], status=Status.SUBMITTED)
    for _ in range(5):  # the page's queries do not grow with the candidates
        make_application(call, challenges=[opening.challenge], status=Status.INTERVIEW)
    client.force_login(member.user)
    with django_assert_max_num_queries(9):
        html = client.get(
            reverse("recruitment:jury_challenge", args=[opening.challenge_id])
        ).content.decode()
    assert str(screened) in html and str(hidden) not in html
    choice = screened.choices.get()
    c1, c2 = call.criteria.values_list("pk", flat=True)
    url = reverse("recruitment:jury_review", args=[opening.challenge_id, choice.pk])
    response = client.post(url, {f"score_{c1}": "4", f"score_{c2}": "1", "submit": "1"})
    assert response.status_code == 302
    html = client.get(
        reverse("recruitment:jury_ranking", args=[opening.challenge_id])
    ).content.decode()
    assert "3,00" in html or "3.00" in html  # (4×2 + 1×1) / 3
    hidden_choice = hidden.choices.get()
    url = reverse("recruitment:jury_review", args=[opening.challenge_id, hidden_choice.pk])
    assert client.get(url).status_code == 404


def test_a_conflict_hides_the_candidate_from_the_member(client, call, opening):
    member = _member(opening)
    choice = make_application(
        call, challenges=[opening.challenge], status=Status.PRESELECTED
    ).choices.get()
    client.force_login(member.user)
    url = reverse("recruitment:jury_conflict", args=[opening.challenge_id, choice.pk])
    assert client.get(url).status_code == 405
    client.post(url)
    review = reverse("recruitment:jury_review", args=[opening.challenge_id, choice.pk])
    assert client.get(review).status_code == 404


# --- interviews and teams --------------------------------------------------------------------------


def test_the_candidate_books_a_slot_from_the_link(client, call, opening, coordinator):
    application = make_application(call, challenges=[opening.challenge], status=Status.PRESELECTED)
    interview = interviews.interview_invite(
        application=application, challenge=opening.challenge, by=coordinator
    )
    start = timezone.now() + timedelta(days=3)
    slot = interviews.slot_open(
        challenge=opening.challenge,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        by=coordinator,
        video_url="https://visio.example.org/eig",
    )
    url = interview.get_absolute_url()
    assert "visioconférence" in client.get(url).content.decode()
    client.post(url, {"slot": slot.pk})
    interview.refresh_from_db()
    assert interview.slot == slot
    client.post(url, {"cancel": "1"})
    interview.refresh_from_db()
    assert interview.slot is None


def test_slots_and_teams_are_for_coordinators_only(client, call, opening):
    client.force_login(UserFactory())
    assert client.get(reverse("recruitment:slots", args=[opening.challenge_id])).status_code == 403
    assert client.get(reverse("recruitment:matching", args=[call.slug])).status_code == 403
    client.logout()
    assert client.get(reverse("recruitment:matching", args=[call.slug])).status_code == 302


def test_a_coordinator_opens_a_slot_and_invites(client, call, opening, coordinator):
    application = make_application(call, challenges=[opening.challenge], status=Status.PRESELECTED)
    client.force_login(coordinator)
    url = reverse("recruitment:slots", args=[opening.challenge_id])
    client.post(
        url,
        {
            "open_slot": "1",
            "starts_at": "2030-03-01T10:00",
            "ends_at": "2030-03-01T10:45",
            "place": "Paris",
        },
    )
    client.post(url, {"invite": application.pk})
    html = client.get(url).content.decode()
    assert "Paris" in html and application.interviews.exists()


def test_a_coordinator_proposes_and_confirms_a_team(client, call, opening, coordinator):
    from promotions.models import Fellow

    ada = make_application(call, challenges=[opening.challenge], status=Status.INTERVIEW)
    client.force_login(coordinator)
    url = reverse("recruitment:matching", args=[call.slug])
    client.post(url, {"propose": "1"})
    assert str(ada) in client.get(url).content.decode()
    client.post(url, {"confirm": opening.challenge_id})
    assert Fellow.objects.get().application == ada


def test_a_members_export_holds_only_their_defis_candidates(client, call, opening):
    other = make_opening(call)
    member = _member(opening)
    mine = make_application(call, challenges=[opening.challenge], status=Status.PRESELECTED)
    theirs = make_application(call, challenges=[other.challenge], status=Status.PRESELECTED)
    client.force_login(member.user)
    response = client.get(reverse("recruitment:jury_export", args=[opening.challenge_id]))
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert str(mine) in text and str(theirs) not in text
    client.force_login(UserFactory())
    assert (
        client.get(reverse("recruitment:jury_export", args=[opening.challenge_id])).status_code
        == 404
    )


def test_the_sign_up_answers_the_same_for_a_known_address(client):
    make_candidate(email="known@example.org")
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "Known@Example.org",
        "password1": "une-phrase-de-passe-longue",
        "password2": "une-phrase-de-passe-longue",
    }
    response = client.post(reverse("recruitment:signup"), data)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert CandidateAccount.objects.count() == 1
