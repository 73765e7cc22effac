"""Coordinators in the admin: ranking, bulk actions, comparison, exports."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from challenges.models import AgentProfile, Challenge, ChallengeProposal, JuryAssignment
from tests.challenges.call_builders import make_agent, make_call, make_proposal, make_review
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = ChallengeProposal.Status
CHANGELIST = "admin:challenges_challengeproposal_changelist"


@pytest.fixture
def admin_client(client, coordinator):
    client.force_login(coordinator)
    return client


def run_action(client, action, proposals, **data):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, ACTION_CHECKBOX_NAME: [p.pk for p in proposals], **data},
    )


def test_the_proposal_admin_is_for_coordinators_only(client):
    url = reverse(CHANGELIST)
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302


def test_changelist_shows_the_ranking_of_a_call_with_bounded_queries(
    admin_client, django_assert_max_num_queries
):
    call = make_call()
    best = make_proposal(call, title="Meilleure")
    make_review(best, UserFactory(), [5, 5])
    make_review(best, UserFactory(), [2, 2])
    make_proposal(call, title="Sans note")
    make_proposal(call, title="Ébauche cachée", status=Status.DRAFT)
    url = f"{reverse(CHANGELIST)}?call__id__exact={call.pk}"

    with django_assert_max_num_queries(14) as small:
        response = admin_client.get(url)
    html = response.content.decode()
    assert html.index("Meilleure") < html.index("Sans note")
    assert "Ébauche cachée" not in html  # drafts are not received proposals
    assert "3,50" in html and "2 / 2" in html and "2,00 – 5,00" in html

    for _ in range(15):
        p = make_proposal(call)
        make_review(p, UserFactory(), [3, 4])
    with django_assert_max_num_queries(len(small.captured_queries)):
        admin_client.get(url)


def test_spread_filter_lists_the_disputed_proposals(admin_client):
    call = make_call()
    disputed = make_proposal(call, title="Disputée")
    make_review(disputed, UserFactory(), [5, 5])
    make_review(disputed, UserFactory(), [1, 1])
    calm = make_proposal(call, title="Consensuelle")
    make_review(calm, UserFactory(), [4, 4])
    html = admin_client.get(f"{reverse(CHANGELIST)}?ecart=fort").content.decode()
    assert "Disputée" in html and "Consensuelle" not in html


def test_assign_jurors_action_asks_then_assigns(admin_client):
    call = make_call()
    proposals = [make_proposal(call), make_proposal(call)]
    juror = UserFactory(username="jure")
    from challenges.calls.jury import jury_group

    jury_group().user_set.add(juror)

    page = run_action(admin_client, "assign_jurors", proposals)
    assert page.status_code == 200 and "jure@example.gouv.fr" in page.content.decode()
    assert not JuryAssignment.objects.exists()

    run_action(admin_client, "assign_jurors", proposals, apply="1", jurors=[juror.pk])
    assert JuryAssignment.objects.filter(juror=juror).count() == 2


def test_request_correction_needs_a_message(admin_client, django_capture_on_commit_callbacks):
    proposal = make_proposal(make_call())
    response = run_action(admin_client, "request_correction", [proposal], apply="1", message="")
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        run_action(
            admin_client, "request_correction", [proposal], apply="1", message="Ajoutez un PDF."
        )
    proposal.refresh_from_db()
    assert proposal.status == Status.CORRECTION_REQUESTED
    assert "Ajoutez un PDF." in mail.outbox[0].body


def test_mark_under_review_then_select_twice_creates_one_challenge(
    admin_client, django_capture_on_commit_callbacks
):
    proposal = make_proposal(make_call(), title="Lab santé")
    run_action(admin_client, "mark_under_review", [proposal])
    proposal.refresh_from_db()
    assert proposal.status == Status.UNDER_REVIEW

    confirm = run_action(admin_client, "select", [proposal])
    assert confirm.status_code == 200 and "Retenir" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        run_action(admin_client, "select", [proposal], apply="1", message="Bravo.")
        run_action(admin_client, "select", [proposal], apply="1", message="Bravo.")
    assert Challenge.objects.filter(title="Lab santé").count() == 1
    assert len(mail.outbox) == 1


def test_not_select_without_message_is_refused_then_done_with_one(admin_client):
    proposal = make_proposal(make_call(), status=Status.UNDER_REVIEW)
    response = run_action(admin_client, "not_select", [proposal], apply="1", message="  ")
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == Status.UNDER_REVIEW
    run_action(admin_client, "not_select", [proposal], apply="1", message="Trop tôt.")
    proposal.refresh_from_db()
    assert proposal.status == Status.NOT_SELECTED


def test_compare_two_proposals_side_by_side(admin_client):
    call = make_call()
    a = make_proposal(call, title="Alpha", objectives="Réduire les délais")
    b = make_proposal(call, title="Bêta", objectives="Ouvrir les données")
    make_review(a, UserFactory(), [5, 3])
    make_review(b, UserFactory(), [2, 4])

    redirect = run_action(admin_client, "compare", [a, b])
    assert redirect.status_code == 302
    html = admin_client.get(redirect.url).content.decode()
    assert "Alpha" in html and "Bêta" in html
    assert "Réduire les délais" in html and "Ouvrir les données" in html
    assert "Critère 1" in html and "5,00" in html and "2,00" in html

    one = run_action(admin_client, "compare", [a])
    assert one.status_code == 302 and one.url.startswith(reverse(CHANGELIST))


def test_csv_export_has_bom_neutralised_formulas_numbers_and_paris_time(admin_client):
    call = make_call()
    proposal = make_proposal(call, title='=HYPERLINK("http://evil")', summary="-2+3")
    ChallengeProposal.objects.filter(pk=proposal.pk).update(
        submitted_at=datetime(2027, 7, 1, 10, 30, tzinfo=ZoneInfo("UTC"))
    )
    make_review(proposal, UserFactory(), [4, 1])  # (8 + 1) / 3 = 3

    response = run_action(admin_client, "export_csv", [proposal])
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    cell = dict(zip(header, row, strict=True))
    assert cell["titre"] == '\'=HYPERLINK("http://evil")'
    assert cell["résumé"] == "'-2+3"
    assert cell["note pondérée"] == "3.0" and cell["évaluations"] == "1"
    assert cell["déposée le (heure de Paris)"] == "2027-07-01T12:30:00+02:00"


def test_xlsx_export_keeps_numbers_as_numbers_and_times_in_paris(admin_client):
    call = make_call()
    proposal = make_proposal(call, title="@SUM(A1)", cofunding_share="25.50")
    ChallengeProposal.objects.filter(pk=proposal.pk).update(
        submitted_at=datetime(2027, 1, 15, 22, 59, 59, tzinfo=ZoneInfo("UTC"))
    )
    make_review(proposal, UserFactory(), [5, 2])

    response = run_action(admin_client, "export_xlsx", [proposal])
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["titre"] == "'@SUM(A1)"
    assert row["note pondérée"] == 4.0 and isinstance(row["évaluations"], int)
    assert row["cofinancement (%)"] == 25.5
    assert row["déposée le (heure de Paris)"] == datetime(2027, 1, 15, 23, 59, 59)


def test_call_admin_counts_received_proposals_and_links_to_the_ranking(admin_client):
    call = make_call(title="Appel EIG 9")
    make_proposal(call)
    make_proposal(call, status=Status.DRAFT)
    html = admin_client.get(reverse("admin:challenges_callforprojects_changelist")).content
    html = html.decode()
    assert "Appel EIG 9" in html and f"?call__id__exact={call.pk}" in html
    assert admin_client.get(reverse("admin:challenges_callforprojects_add")).status_code == 200
    change = admin_client.get(reverse("admin:challenges_callforprojects_change", args=[call.pk]))
    assert "Critère 1" in change.content.decode()


def test_confirm_agents_action_confirms_the_requested_administration(admin_client):
    agent = make_agent(confirmed=False)
    administration = agent.agent_profile.administration
    administration.is_confirmed = False
    administration.save()
    admin_client.post(
        reverse("admin:challenges_agentprofile_changelist"),
        {"action": "confirm", ACTION_CHECKBOX_NAME: [agent.agent_profile.pk]},
    )
    profile = AgentProfile.objects.select_related("administration").get(pk=agent.agent_profile.pk)
    assert profile.is_confirmed and profile.administration.is_confirmed


def test_proposal_change_page_shows_jury_and_history_read_only(admin_client):
    proposal = make_proposal(make_call(), title="Page détail")
    make_review(proposal, UserFactory(username="jurea"), [3, 3])
    response = admin_client.get(
        reverse("admin:challenges_challengeproposal_change", args=[proposal.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "jurea" in html and "soumise le" in html
    assert 'name="title"' not in html  # read-only: coordinators act through the actions


def _submitted_then_edited(town_submitted="75012 Paris", town_draft="Lyon"):
    from challenges.calls.services import proposal_save_draft, proposal_snapshot

    proposal = make_proposal(make_call(), title="Cadastre", town=town_submitted)
    proposal.versions.update(snapshot=proposal_snapshot(proposal=proposal))
    proposal_save_draft(
        proposal=proposal,
        user=proposal.created_by,
        data={"town": town_draft},
        expected_version=proposal.version,
    )
    return proposal


def test_change_page_shows_the_submitted_content_and_the_draft_apart_flagged(admin_client):
    proposal = _submitted_then_edited()
    url = reverse("admin:challenges_challengeproposal_change", args=[proposal.pk])

    html = admin_client.get(url).content.decode()

    assert "Modifications non déposées" in html
    assert "Modifiée depuis le dépôt : ces valeurs ne sont pas déposées." in html
    draft_section = html.split("Différences entre la version déposée et le brouillon")[1]
    assert "75012 Paris" in draft_section and "Lyon" in draft_section
    # The main sections show the submitted town; Lyon appears only in the draft section.
    assert html.count("Lyon") == 1
    # A POST on the change page writes nothing (every field read-only, the draft kept).
    admin_client.post(url, {})
    proposal.refresh_from_db()
    assert proposal.town == "Lyon"


def test_changelist_flags_proposals_modified_since_submission(admin_client):
    edited = _submitted_then_edited()
    make_proposal(edited.call, title="Intact")
    html = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert "modifiée depuis le dépôt" in html.lower()
    row_edited = html.split(">Cadastre</a>")[1].split("</tr>")[0]
    row_intact = html.split(">Intact</a>")[1].split("</tr>")[0]
    assert 'alt="True"' in row_edited and 'alt="True"' not in row_intact


def test_change_page_renders_markdown_and_status_labels(admin_client):
    from challenges.calls.models import ProposalStatusChange

    proposal = make_proposal(make_call(), title="Rendu", context="Un **contexte** riche")
    change = ProposalStatusChange.objects.create(
        proposal=proposal, at=proposal.submitted_at, from_status="draft", to_status="submitted"
    )
    html = admin_client.get(
        reverse("admin:challenges_challengeproposal_change", args=[proposal.pk])
    ).content.decode()
    assert "<strong>contexte</strong>" in html and "**contexte**" not in html
    assert str(change) == "Rendu : Brouillon → Déposée"
    assert "Brouillon" in html and "Déposée" in html


def test_a_proposal_left_without_juror_after_a_conflict_is_flagged(admin_client):
    orphan = make_proposal(make_call(), title="Orpheline")
    JuryAssignment.objects.create(
        proposal=orphan,
        juror=UserFactory(),
        conflict_of_interest=True,
        conflict_declared_at=orphan.submitted_at,
    )
    covered = make_proposal(orphan.call, title="Couverte")
    JuryAssignment.objects.create(
        proposal=covered,
        juror=UserFactory(),
        conflict_of_interest=True,
        conflict_declared_at=covered.submitted_at,
    )
    JuryAssignment.objects.create(proposal=covered, juror=UserFactory())

    home = admin_client.get(reverse("admin:index")).content.decode()
    assert "Candidatures sans juré" in home
    assert "Orpheline" in home.split('id="proposals-without-juror"')[1]
    assert "Couverte" not in home.split('id="proposals-without-juror"')[1]
    html = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert "sans juré (conflit)" in html.lower()
    row = html.split(">Orpheline</a>")[1].split("</tr>")[0]
    assert row.count('alt="True"') == 1


def test_coordinators_reach_the_questionnaires_from_the_admin_home_and_the_header(
    admin_client,
):
    home = admin_client.get(reverse("admin:index")).content.decode()
    assert reverse("survey_results:index") in home
    page = admin_client.get(reverse("proposals:list")).content.decode()
    header = page.split("</header>")[0]
    assert reverse("survey_results:index") in header


def test_call_admin_counts_submitted_proposals_not_withdrawn(admin_client):
    call, other = make_call(), make_call()
    make_proposal(call)
    make_proposal(call, status=Status.UNDER_REVIEW)
    make_proposal(call, status=Status.DRAFT)
    make_proposal(call, status=Status.WITHDRAWN)
    make_proposal(other)
    response = admin_client.get(reverse("admin:challenges_callforprojects_changelist"))
    received = {c.pk: c.received for c in response.context["cl"].result_list}
    assert received == {call.pk: 2, other.pk: 1}


def test_jury_assignments_list_the_newest_proposals_first_with_bounded_queries(
    admin_client, django_assert_max_num_queries
):
    call = make_call()
    older, newer = make_proposal(call), make_proposal(call)
    jurors = UserFactory.create_batch(2)
    for proposal in (older, newer):
        for juror in jurors:
            make_review(proposal, juror, [3, 4])
    url = reverse("admin:challenges_juryassignment_changelist")
    with django_assert_max_num_queries(14) as few:
        response = admin_client.get(url)
    shown = [(a.proposal_id, a.juror_id) for a in response.context["cl"].result_list]
    assert shown == sorted(shown, reverse=True) and shown[0][0] == newer.pk
    assert "évaluation soumise" in response.content.decode()

    for _ in range(10):
        make_review(make_proposal(call), UserFactory(), [2, 2])
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(url)


def test_proposals_filter_by_administration_chosen_in_a_search_box(admin_client):
    call = make_call()
    ours, theirs = make_proposal(call, title="La nôtre"), make_proposal(call, title="L'autre")
    url = reverse(CHANGELIST)
    html = admin_client.get(url).content.decode()
    assert str(ours.administration) not in html.split('id="changelist-filter"')[1]

    response = admin_client.get(url, {"administration__id__exact": ours.administration_id})
    assert list(response.context["cl"].result_list) == [ours]
    html = response.content.decode()
    assert f'<option value="{ours.administration_id}" selected>' in html
    assert str(theirs.administration) not in html
