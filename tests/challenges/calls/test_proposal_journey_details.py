"""Details of the call-for-projects journey as new users meet it: one error for a duplicated
submission, « 30,00 » on French pages, scores rounded one way, a second « Retenir » not reported
as a new défi, clear messages once the call is closed, a word to an agent waiting for
confirmation, a header link for jurors, a demo juror.
"""

import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from challenges.calls import services
from challenges.models import Challenge, ChallengeProposal, JuryAssignment
from tests.challenges.call_builders import make_agent, make_call, make_proposal, make_review
from tests.challenges.proposal_helpers import complete_fields, form_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = ChallengeProposal.Status
CHANGELIST = "admin:challenges_challengeproposal_changelist"


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def summary_links(html: str) -> list[str]:
    """The field anchors listed in the error summary at the top of the form."""
    start = html.index("dsfr-crispy-error-summary")
    end = html.index("</div>", html.index("</ul>", start))
    return re.findall(r'href="#(id_[a-z_]+)"', html[start:end])


# --- submission errors ------------------------------------------------------------------------


def test_an_incomplete_submission_lists_each_missing_field_once():
    """Each missing field was listed twice (« obligatoire » and « obligatoire pour déposer »):
    the service's dict error lost its code and was added to the form a second time."""
    agent = make_agent()
    proposal = services.proposal_create(call=make_call(), user=agent, data={"title": "Titre"})
    html = (
        logged(agent)
        .post(reverse("proposals:submit", args=[proposal.pk]), {"version": proposal.version})
        .content.decode()
    )
    links = summary_links(html)
    assert "id_summary" in links and "id_developers_wanted" in links
    assert len(links) == len(set(links)), links
    count = int(re.search(r"Le formulaire contient (\d+) erreurs", html).group(1))
    assert count == len(links)
    assert html.count('id="id_summary-desc-error"') == 1
    assert "obligatoire pour déposer" not in html


def test_the_incomplete_error_of_the_service_keeps_its_code():
    agent = make_agent()
    proposal = services.proposal_create(call=make_call(), user=agent, data={"title": "Titre"})
    with pytest.raises(services.IncompleteProposalError) as exc:
        services.proposal_submit(proposal_id=proposal.pk, user=agent)
    assert exc.value.code == "incomplete"
    assert "summary" in exc.value.message_dict


# --- numbers in French ------------------------------------------------------------------------


def test_the_cofunding_share_reads_with_a_decimal_comma_on_the_proposal_page():
    agent = make_agent()
    proposal = services.proposal_create(
        call=make_call(),
        user=agent,
        data=complete_fields(cofunding_share=Decimal("12.50"), profiles_notes="a\nb <i>"),
    )
    html = logged(agent).get(proposal.get_absolute_url()).content.decode()
    assert "12,50" in html and "12.50" not in html
    assert "a<br>b &lt;i&gt;" in html  # text still escaped, line breaks kept


def test_the_jury_reads_the_submitted_cofunding_share_with_a_decimal_comma():
    juror = UserFactory()
    proposal = make_proposal(make_call(), cofunding_share=Decimal("40.00"))
    proposal.versions.update(snapshot={"cofunding_share": "30.00"})
    assignment = JuryAssignment.objects.create(proposal=proposal, juror=juror)
    url = reverse("jury:review", args=[assignment.pk])
    html = logged(juror).get(url).content.decode()
    assert "40,00" in html and "40.00" not in html  # no unsubmitted edits: the proposal
    ChallengeProposal.objects.filter(pk=proposal.pk).update(has_unsubmitted_changes=True)
    html = logged(juror).get(url).content.decode()
    assert "30,00" in html and "30.00" not in html and "40,00" not in html  # the snapshot


# --- coordinators -----------------------------------------------------------------------------


def test_a_weighted_score_is_rounded_the_same_in_the_list_the_comparison_and_the_export(
    client, coordinator
):
    """4.125 showed as 4,12 in the ranking and the export but 4,13 side by side."""
    client.force_login(coordinator)
    call = make_call(weights=(3, 2, 2, 1))
    a = make_proposal(call, title="Alpha")
    b = make_proposal(call, title="Bêta")
    make_review(a, UserFactory(), [4, 5, 4, 3])  # 33 / 8 = 4.125
    make_review(b, UserFactory(), [1, 1, 1, 1])
    changelist = client.get(reverse(CHANGELIST)).content.decode()
    assert "4,13" in changelist and "4,12" not in changelist
    compare = client.get(
        reverse("admin:challenges_challengeproposal_compare") + f"?ids={a.pk}&ids={b.pk}"
    ).content.decode()
    assert "4,13" in compare
    export = client.post(
        reverse(CHANGELIST), {"action": "export_csv", ACTION_CHECKBOX_NAME: [a.pk]}
    ).content.decode("utf-8-sig")
    assert "4.13" in export and "4.12" not in export


def test_selecting_an_already_selected_proposal_says_so(client, coordinator):
    """The second « Retenir » reported the selection again, as if a second défi was created."""
    client.force_login(coordinator)
    proposal = make_proposal(make_call(), title="Lab santé")
    data = {"action": "select", ACTION_CHECKBOX_NAME: [proposal.pk], "apply": "1"}
    first = client.post(reverse(CHANGELIST), data, follow=True).content.decode()
    assert "1 candidature retenue : défi créé." in first
    second = client.post(reverse(CHANGELIST), data, follow=True).content.decode()
    assert "déjà retenue" in second
    assert "retenue : défi créé" not in second
    assert Challenge.objects.filter(title="Lab santé").count() == 1


# --- closed call ------------------------------------------------------------------------------


def closed_call():
    call = make_call()
    call.closes_at = timezone.now() - timedelta(hours=1)
    call.save()
    return call


def test_after_the_deadline_the_form_says_when_the_call_closed_and_offers_no_save():
    call = make_call()
    agent = make_agent()
    proposal = services.proposal_create(
        call=call, user=agent, creation_token=uuid.uuid4(), data=complete_fields()
    )
    call.closes_at = timezone.now() - timedelta(hours=1)
    call.save()
    client = logged(agent)
    url = reverse("proposals:edit", args=[proposal.pk, "defi"])
    html = client.get(url).content.decode()
    assert "clos depuis le" in html and "heure de Paris" in html
    assert "Enregistrer le brouillon" not in html and "Enregistrer et continuer" not in html
    response = client.post(url, {**form_data(title="Tapé trop tard"), "version": 1})
    assert response.status_code == 403
    html = response.content.decode()
    assert "clos depuis le" in html and "Votre saisie est conservée" in html
    assert 'value="Tapé trop tard"' in html
    submit_page = client.get(reverse("proposals:submit", args=[proposal.pk])).content.decode()
    assert "clos depuis le" in submit_page


def test_a_withdrawn_proposal_says_it_is_withdrawn_not_that_the_call_is_closed():
    agent = make_agent()
    proposal = services.proposal_create(call=make_call(), user=agent, data={"title": "T"})
    services.proposal_withdraw(proposal_id=proposal.pk, user=agent)
    html = logged(agent).get(reverse("proposals:edit", args=[proposal.pk, "defi"])).content
    html = html.decode()
    assert "« Retirée »" in html and "appel à projets est clos" not in html


def test_starting_a_proposal_on_a_closed_call_shows_why_and_no_button():
    call = closed_call()
    html = logged(make_agent()).get(reverse("calls:propose", args=[call.slug])).content.decode()
    assert "clos depuis le" in html
    assert "Enregistrer et continuer" not in html


# --- agents awaiting confirmation -------------------------------------------------------------


def test_an_agent_awaiting_confirmation_is_told_why_colleagues_proposals_are_missing():
    colleague = make_agent()
    administration = colleague.agent_profile.administration
    make_proposal(make_call(), author=colleague, title="Défi d'un collègue")
    newcomer = make_agent(administration, confirmed=False)
    html = logged(newcomer).get(reverse("proposals:list")).content.decode()
    assert "Défi d'un collègue" not in html
    assert "attend la confirmation" in html
    assert (
        "attend la confirmation"
        not in logged(colleague).get(reverse("proposals:list")).content.decode()
    )


# --- header -----------------------------------------------------------------------------------


def test_the_header_links_jurors_to_their_assignments_only():
    juror, other = UserFactory(), UserFactory()
    JuryAssignment.objects.create(proposal=make_proposal(make_call()), juror=juror)
    jury_url = reverse("jury:list")
    link = f'href="{jury_url}"'
    assert link not in logged(other).get(reverse("calls:list")).content.decode()
    assert link not in Client().get(reverse("calls:list")).content.decode()
    html = logged(juror).get(jury_url).content.decode()
    nav = html[html.index('id="header-navigation"') :]
    assert re.search(rf'{re.escape(link)}\s+aria-current="page">Jury<', nav)
    challenges_link = f'href="{reverse("challenges:list")}"'
    assert re.search(rf"{re.escape(challenges_link)}\s+>Défis<", nav)  # not « current » too


# --- demo -------------------------------------------------------------------------------------


def test_the_demo_has_a_jury_member_assigned_to_the_submitted_proposals(settings):
    from allauth.account.models import EmailAddress

    from challenges import demo
    from promotions.demo import demo_coordinator

    settings.SITE_URL = "http://127.0.0.1:8108"
    demo_coordinator()
    lines = demo.create_demo_call()
    demo.create_demo_call()  # idempotent
    juror = UserFactory._meta.model.objects.get(email=demo.DEMO_JUROR_EMAIL)
    assert juror.check_password(demo.DEMO_JUROR_PASSWORD)
    assert EmailAddress.objects.filter(user=juror, verified=True).exists()  # can log in at once
    titles = set(juror.jury_assignments.values_list("proposal__title", flat=True))
    assert titles == set(
        ChallengeProposal.objects.filter(
            status__in=[Status.SUBMITTED, Status.UNDER_REVIEW]
        ).values_list("title", flat=True)
    )
    assert len(titles) == 2
    assert any(demo.DEMO_JUROR_EMAIL in line for line in lines)
    assert all("127.0.0.1:8000" not in line for line in lines)
    assert any("http://127.0.0.1:8108/defis/jury/" in line for line in lines)


# --- attachments ------------------------------------------------------------------------------


def test_an_attachment_refused_after_the_draft_was_saved_does_not_cause_a_false_conflict(
    settings, tmp_path
):
    """The 11th PDF: the draft is saved (version + 1) then the attachment refused; the form came
    back with the old version, so the agent's next save was « a newer version exists »."""
    from tests.challenges.proposal_helpers import pdf_file

    settings.MEDIA_ROOT = tmp_path
    agent = make_agent()
    proposal = services.proposal_create(
        call=make_call(), user=agent, creation_token=uuid.uuid4(), data=complete_fields()
    )
    for i in range(services.MAX_ATTACHMENTS):
        services.attachment_add(proposal=proposal, user=agent, uploaded_file=pdf_file(f"{i}.pdf"))
    client = logged(agent)
    url = reverse("proposals:edit", args=[proposal.pk, "financement"])
    response = client.post(
        url, {"funding_notes": "Notes", "version": 1, "attachment": pdf_file("onzieme.pdf")}
    )
    html = response.content.decode()
    assert "10 pièces jointes au plus" in html
    version = int(re.search(r'name="version" value="(\d+)"', html).group(1))
    proposal.refresh_from_db()
    assert version == proposal.version  # the form carries the saved version
    again = client.post(url, {"funding_notes": "Notes encore", "version": version, "save": "1"})
    assert again.status_code == 302
    proposal.refresh_from_db()
    assert proposal.funding_notes == "Notes encore"


# --- jury list --------------------------------------------------------------------------------


def test_the_jury_list_does_not_say_to_do_for_a_proposal_that_cannot_be_scored():
    """A proposal sent back for correction said « À faire », but its page refused scores."""
    juror = UserFactory()
    waiting = make_proposal(make_call(), title="En correction", status=Status.SUBMITTED)
    todo = make_proposal(make_call(), title="À noter", status=Status.SUBMITTED)
    for proposal in (waiting, todo):
        JuryAssignment.objects.create(proposal=proposal, juror=juror)
    ChallengeProposal.objects.filter(pk=waiting.pk).update(status=Status.CORRECTION_REQUESTED)
    html = logged(juror).get(reverse("jury:list")).content.decode()
    rows = {
        title: html[html.index(title) :].split("</tr>")[0] for title in ("En correction", "À noter")
    }
    assert "Plus à noter : Correction demandée" in rows["En correction"]
    assert "À faire" not in rows["En correction"]
    assert "À faire" in rows["À noter"]


# --- after login ------------------------------------------------------------------------------


def test_after_login_each_person_lands_on_their_own_work(coordinator):
    """Everybody landed on the home page, with no word of their proposals or assignments."""
    agent = make_agent(email="agent@example.gouv.fr")
    juror = UserFactory()
    JuryAssignment.objects.create(proposal=make_proposal(make_call()), juror=juror)
    landing = reverse("proposals:after_login")
    assert logged(agent).get(landing).url == reverse("proposals:list")
    assert logged(juror).get(landing).url == reverse("jury:list")
    assert logged(coordinator).get(landing).url == reverse("admin:index")
    assert logged(UserFactory()).get(landing).url == reverse("home")
    assert Client().get(landing).status_code == 302  # login first


def test_logging_in_without_next_goes_through_the_landing_page():
    from allauth.account.models import EmailAddress

    agent = make_agent(email="lea@example.gouv.fr", password="Un-mot-de-passe-2027")
    EmailAddress.objects.create(user=agent, email=agent.email, verified=True, primary=True)
    client = Client()
    response = client.post(
        reverse("account_login"),
        {"login": "lea@example.gouv.fr", "password": "Un-mot-de-passe-2027"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("proposals:list")


def test_a_selected_proposal_links_its_agents_to_the_published_defi(coordinator):
    """The agents read « Retenue » with no way to the défi created from their proposal."""
    from challenges.calls.selection import proposal_select

    agent = make_agent()
    proposal = make_proposal(make_call(), author=agent, title="Lab santé")
    challenge = proposal_select(proposal=proposal, by=coordinator)
    html = logged(agent).get(proposal.get_absolute_url()).content.decode()
    assert f'href="{challenge.get_absolute_url()}"' in html
    assert "le défi est publié" in html


def test_the_header_links_agents_to_their_proposals_in_one_query(django_assert_num_queries):
    """« Mes candidatures » for an agent only; the header reads both roles in one query."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    agent, other = make_agent(), UserFactory()
    link = f'href="{reverse("proposals:list")}"'
    assert link in logged(agent).get(reverse("calls:list")).content.decode()
    assert link not in logged(other).get(reverse("calls:list")).content.decode()
    request = RequestFactory().get("/")
    request.user = agent
    with django_assert_num_queries(2):  # the roles, and the DSFR site configuration
        html = render_to_string("includes/_header.html", request=request)
    assert link in html and f'href="{reverse("jury:list")}"' not in html
