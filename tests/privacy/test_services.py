"""People's rights: a person's data export, the erasure preview and the erasure itself."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from challenges.models import ChallengeProposal, NotificationLog, ProposalVersion
from eig_portal.privacy.export import person_export
from eig_portal.privacy.models import ErasureRecord
from eig_portal.privacy.selectors import erasure_preview
from eig_portal.privacy.services import person_erase
from surveys.models import Response
from tests.challenges.call_builders import make_agent, make_call, make_proposal
from tests.factories import FellowFactory, MentorFactory
from tests.surveys.builders import build_responses, make_invitations

pytestmark = pytest.mark.django_db

EMAIL = "camille@example.gouv.fr"


@pytest.fixture
def person():
    """One address used everywhere: an agent account, an EIG record, a questionnaire answer,
    a proposal naming her as mentor, and an email sent to her."""
    from surveys.definition_files import survey_import_definition

    agent = make_agent(email=EMAIL, first_name="Camille", last_name="Martin")
    EmailAddress.objects.create(user=agent, email=EMAIL, verified=True, primary=True)
    call = make_call()
    draft = make_proposal(call, status=ChallengeProposal.Status.DRAFT, author=agent)
    submitted = make_proposal(call, author=agent)
    other = make_proposal(call, mentor_email=EMAIL.upper(), mentor_name="Camille Martin")
    ProposalVersion.objects.filter(proposal=other).update(
        snapshot={"mentor_email": EMAIL, "mentor_name": "Camille Martin", "title": "Défi"}
    )
    fellow = FellowFactory(name="Camille Martin", email=EMAIL, job_title="Data scientist")
    survey = survey_import_definition(
        data={
            "code": "bilan",
            "title": "Bilan",
            "audience": ["fellows"],
            "sections": [
                {
                    "title": "Partie",
                    "questions": [{"code": "avis", "text": "Votre avis", "type": "long_text"}],
                }
            ],
        }
    )
    invitation = make_invitations(
        survey=survey, role="fellow", promotion=fellow.promotion, count=1
    )[0]
    invitation.email, invitation.fellow = EMAIL, fellow
    invitation.save()
    build_responses(
        survey=survey,
        people=[("fellow", fellow.promotion)],
        answers={"avis": ["Très utile"]},
        invitations=[invitation],
    )
    NotificationLog.objects.create(key="ack:1", recipients=f"{EMAIL}, other@example.gouv.fr")
    return {
        "agent": agent,
        "draft": draft,
        "submitted": submitted,
        "other": other,
        "fellow": fellow,
        "invitation": invitation,
    }


def test_export_gathers_everything_held_about_an_address(person):
    data = person_export(email=EMAIL.upper())
    assert data["accounts"][0]["first_name"] == "Camille"
    assert data["accounts"][0]["email_addresses"] == [EMAIL]
    assert {p["id"] for p in data["accounts"][0]["proposals_created"]} == {
        person["draft"].pk,
        person["submitted"].pk,
    }
    assert data["fellows"][0]["job_title"] == "Data scientist"
    assert data["survey_invitations"][0]["answers"] == [
        {"question": "Votre avis", "answer": "Très utile"}
    ]
    assert data["proposals_naming_you"][0]["proposal"] == person["other"].pk
    assert data["emails_sent"] == [{"key": "ack:1", "sent_at": data["emails_sent"][0]["sent_at"]}]


def test_export_of_an_unknown_address_is_empty_not_an_error():
    data = person_export(email="nobody@example.gouv.fr")
    assert data["accounts"] == [] and data["fellows"] == [] and data["survey_invitations"] == []


def test_preview_says_what_goes_and_what_stays(person):
    preview = erasure_preview(email=EMAIL)
    goes = {key: count for key, count, _label in preview["goes"]}
    stays = {key: count for key, count, _label in preview["stays"]}
    assert goes == {
        "accounts": 1,
        "drafts": 1,
        "fellows": 1,
        "mentors": 0,
        "invitations": 1,
        "proposal_contacts": 1,
        "emails_sent": 1,
    }
    assert stays == {"responses": 1, "reviews": 0, "proposals": 1, "counted": 1}


def test_erasure_removes_what_the_preview_said_and_keeps_the_rest(person, coordinator):
    counts = person_erase(email=EMAIL, by=coordinator, reason="Demande reçue le 2 mars")
    assert counts["accounts"] == 1
    agent, fellow, invitation = person["agent"], person["fellow"], person["invitation"]
    agent.refresh_from_db()
    fellow.refresh_from_db()
    invitation.refresh_from_db()
    assert (agent.email, agent.first_name, agent.is_active) == ("", "", False)
    assert not EmailAddress.objects.filter(email__iexact=EMAIL).exists()
    assert not ChallengeProposal.objects.filter(pk=person["draft"].pk).exists()
    assert ChallengeProposal.objects.filter(pk=person["submitted"].pk).exists()
    assert fellow.email == "" and "Camille" not in fellow.name and fellow.job_title == ""
    assert fellow.profile and fellow.promotion_id  # still counted
    assert invitation.email == "" and invitation.fellow is None
    response = Response.objects.get(invitation=invitation)
    assert response.answers.get().text == "Très utile"
    other = ChallengeProposal.objects.get(pk=person["other"].pk)
    assert (other.mentor_email, other.mentor_name) == ("", "")
    snapshot = ProposalVersion.objects.get(proposal=other).snapshot
    assert snapshot["mentor_email"] == "" and snapshot["title"] == "Défi"
    assert NotificationLog.objects.get(key="ack:1").recipients == ""
    assert ErasureRecord.objects.filter(reason="Demande reçue le 2 mars").count() == 2
    after = person_export(email=EMAIL)
    assert after["accounts"] == [] and after["fellows"] == [] and after["survey_invitations"] == []


def test_erasure_needs_an_address_and_a_reason(coordinator):
    with pytest.raises(ValidationError):
        person_erase(email=EMAIL, by=coordinator, reason="  ")
    with pytest.raises(ValidationError):
        person_erase(email=" ", by=coordinator, reason="Demande")


def test_erasing_a_mentor_keeps_the_mentor_counted(coordinator):
    mentor = MentorFactory(name="Dominique Bernard", email="dominique@example.gouv.fr")
    person_erase(email="dominique@example.gouv.fr", by=coordinator, reason="Demande")
    mentor.refresh_from_db()
    assert mentor.email == "" and "Dominique" not in mentor.name
    assert mentor.promotion_id is not None


def test_a_blank_address_matches_nobody_not_the_erased_rows(coordinator):
    FellowFactory(email="")
    NotificationLog.objects.create(key="k", recipients="someone@example.gouv.fr")
    data = person_export(email="  ")
    assert data["fellows"] == [] and data["accounts"] == []
    assert {k for k, n, _label in erasure_preview(email=" ")["goes"] if n} == set()
    assert {k for k, n, _label in erasure_preview(email="")["goes"] if n} == set()
