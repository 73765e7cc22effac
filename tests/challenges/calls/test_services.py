"""Agent-side services of the call for projects: deadline, drafts, submission, history, access."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404

from challenges.calls import access, services
from challenges.models import (
    CallForProjects,
    ChallengeProposal,
    ProposalStatusChange,
    ProposalVersion,
)
from promotions.models import Administration
from tests.challenges import proposal_helpers
from tests.challenges.call_builders import make_agent, make_call
from tests.challenges.proposal_helpers import complete_fields, paris, pdf_file
from tests.factories import AdministrationFactory, PromotionFactory, UserFactory

pytestmark = pytest.mark.django_db
clock = proposal_helpers.clock  # fixture
Status = ChallengeProposal.Status


def call_closing_at(closes_at) -> CallForProjects:
    return CallForProjects.objects.create(
        promotion=PromotionFactory(),
        title="Appel EIG",
        slug=f"appel-{uuid.uuid4().hex[:8]}",
        opens_at=closes_at - timedelta(days=60),
        closes_at=closes_at,
        is_published=True,
    )


def draft(call, agent, **fields) -> ChallengeProposal:
    return services.proposal_create(
        call=call, user=agent, creation_token=uuid.uuid4(), data=complete_fields(**fields)
    )


# --- deadline ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "closing_day",
    [(2027, 1, 15), (2027, 7, 15), (2027, 3, 27), (2027, 10, 30)],
    ids=["winter", "summer", "eve-of-spring-change", "eve-of-autumn-change"],
)
def test_submission_at_2359_30_paris_is_accepted(clock, closing_day):
    call = call_closing_at(paris(*closing_day, 23, 59, 59))
    agent = make_agent()
    clock(call.opens_at + timedelta(days=1))
    proposal = draft(call, agent)
    clock(paris(*closing_day, 23, 59, 30))

    submitted = services.proposal_submit(proposal_id=proposal.pk, user=agent)

    assert submitted.status == Status.SUBMITTED
    assert submitted.submitted_at == paris(*closing_day, 23, 59, 30)


@pytest.mark.parametrize(
    "closing_day",
    [(2027, 1, 15), (2027, 7, 15), (2027, 3, 27), (2027, 10, 30)],
    ids=["winter", "summer", "eve-of-spring-change", "eve-of-autumn-change"],
)
def test_submission_at_000001_next_day_paris_is_refused(clock, closing_day):
    call = call_closing_at(paris(*closing_day, 23, 59, 59))
    agent = make_agent()
    clock(call.opens_at + timedelta(days=1))
    proposal = draft(call, agent)
    y, m, d = closing_day
    clock(paris(y, m, d, 23, 59, 59) + timedelta(seconds=2))  # 00:00:01 next day, Paris

    with pytest.raises(ValidationError) as exc:
        services.proposal_submit(proposal_id=proposal.pk, user=agent)

    assert exc.value.code == "call_closed"
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT
    assert proposal.submitted_at is None
    assert not ProposalVersion.objects.filter(proposal=proposal).exists()


def test_deadline_is_stored_in_utc_but_means_paris_time():
    summer = call_closing_at(paris(2027, 7, 15, 23, 59, 59))
    winter = call_closing_at(paris(2027, 1, 15, 23, 59, 59))
    summer.refresh_from_db()
    winter.refresh_from_db()
    assert (summer.closes_at.utcoffset(), summer.closes_at.hour) == (timedelta(0), 21)
    assert (winter.closes_at.utcoffset(), winter.closes_at.hour) == (timedelta(0), 22)


def test_draft_save_after_deadline_is_refused(clock):
    call = call_closing_at(paris(2027, 3, 7, 23, 59, 59))
    agent = make_agent()
    clock(paris(2027, 3, 1, 10, 0))
    proposal = draft(call, agent)
    clock(paris(2027, 3, 8, 0, 0, 0))
    with pytest.raises(ValidationError) as exc:
        services.proposal_save_draft(
            proposal=proposal, user=agent, data={"title": "Trop tard"}, expected_version=1
        )
    assert exc.value.code == "call_closed"
    proposal.refresh_from_db()
    assert proposal.title != "Trop tard"


def test_create_after_deadline_is_refused(clock):
    call = call_closing_at(paris(2027, 3, 7, 23, 59, 59))
    clock(paris(2027, 3, 8, 0, 0, 1))
    with pytest.raises(ValidationError) as exc:
        draft(call, make_agent())
    assert exc.value.code == "call_closed"
    assert ChallengeProposal.objects.count() == 0


def test_unpublished_call_refuses_proposals():
    call = make_call(is_published=False)
    with pytest.raises(ValidationError):
        draft(call, make_agent())


# --- creation and drafts -------------------------------------------------------------------


def test_repeated_creation_with_the_same_token_creates_one_proposal():
    call, agent, token = make_call(), make_agent(), uuid.uuid4()
    first = services.proposal_create(call=call, user=agent, creation_token=token)
    second = services.proposal_create(call=call, user=agent, creation_token=token)
    assert first.pk == second.pk
    assert ChallengeProposal.objects.count() == 1
    assert ProposalStatusChange.objects.filter(proposal=first).count() == 1


def test_creation_token_of_another_administration_is_refused():
    call, token = make_call(), uuid.uuid4()
    services.proposal_create(call=call, user=make_agent(), creation_token=token)
    with pytest.raises(ValidationError):
        services.proposal_create(call=call, user=make_agent(), creation_token=token)


def test_a_user_without_administration_cannot_create():
    with pytest.raises(ValidationError) as exc:
        services.proposal_create(call=make_call(), user=UserFactory())
    assert exc.value.code == "not_an_agent"


def test_creation_records_the_draft_status_and_the_author():
    agent = make_agent()
    proposal = draft(make_call(), agent)
    change = proposal.status_changes.get()
    assert (change.from_status, change.to_status, change.by) == ("", Status.DRAFT, agent)
    assert proposal.administration == agent.agent_profile.administration
    assert proposal.version == 1


def test_save_draft_increments_the_version():
    agent = make_agent()
    proposal = draft(make_call(), agent)
    saved = services.proposal_save_draft(
        proposal=proposal, user=agent, data={"title": "Nouveau titre"}, expected_version=1
    )
    assert (saved.title, saved.version, saved.updated_by) == ("Nouveau titre", 2, agent)


def test_second_save_based_on_an_old_version_is_refused_and_nothing_is_overwritten():
    agent_a, call = make_agent(), make_call()
    agent_b = make_agent(agent_a.agent_profile.administration)
    proposal = draft(call, agent_a)
    services.proposal_save_draft(
        proposal=proposal, user=agent_a, data={"context": "Texte de A"}, expected_version=1
    )
    with pytest.raises(services.StaleProposalError) as exc:
        services.proposal_save_draft(
            proposal=proposal, user=agent_b, data={"context": "Texte de B"}, expected_version=1
        )
    assert exc.value.code == "stale"
    proposal.refresh_from_db()
    assert (proposal.context, proposal.version) == ("Texte de A", 2)


def test_save_draft_validates_lengths_and_limits():
    agent = make_agent()
    proposal = draft(make_call(), agent)
    with pytest.raises(ValidationError) as exc:
        services.proposal_save_draft(
            proposal=proposal, user=agent, data={"title": "x" * 300}, expected_version=1
        )
    assert "title" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.proposal_save_draft(
            proposal=proposal,
            user=agent,
            data={"cofunding_share": 101},
            expected_version=1,
        )
    proposal.refresh_from_db()
    assert proposal.version == 1


def test_save_draft_refuses_fields_agents_do_not_edit():
    agent = make_agent()
    proposal = draft(make_call(), agent)
    with pytest.raises(ValueError):
        services.proposal_save_draft(
            proposal=proposal, user=agent, data={"status": Status.SELECTED}, expected_version=1
        )


# --- submission ----------------------------------------------------------------------------


def test_submission_keeps_a_version_with_a_snapshot_and_records_the_change():
    agent = make_agent()
    proposal = draft(make_call(), agent)
    services.attachment_add(proposal=proposal, user=agent, uploaded_file=pdf_file())
    submitted = services.proposal_submit(proposal_id=proposal.pk, user=agent)
    version = submitted.versions.get()
    assert version.number == 1
    assert version.snapshot["title"] == "Prévenir les ruptures d'approvisionnement"
    assert version.snapshot["cofunding_share"] == "30.00"
    assert version.snapshot["attachments"][0]["name"] == "annexe.pdf"
    change = submitted.status_changes.latest("at")
    assert (change.from_status, change.to_status, change.by) == (
        Status.DRAFT,
        Status.SUBMITTED,
        agent,
    )


def test_submitting_twice_without_change_keeps_one_version():
    agent = make_agent()
    proposal = draft(make_call(), agent)
    services.proposal_submit(proposal_id=proposal.pk, user=agent)
    services.proposal_submit(proposal_id=proposal.pk, user=agent)
    assert proposal.versions.count() == 1
    assert proposal.status_changes.filter(to_status=Status.SUBMITTED).count() == 1


def test_a_submitted_proposal_stays_editable_and_every_submitted_version_is_kept():
    agent = make_agent()
    proposal = draft(make_call(), agent)
    submitted = services.proposal_submit(proposal_id=proposal.pk, user=agent)
    edited = services.proposal_save_draft(
        proposal=submitted, user=agent, data={"title": "Titre v2"}, expected_version=2
    )
    assert edited.status == Status.SUBMITTED
    assert edited.has_unsubmitted_changes
    services.proposal_submit(proposal_id=proposal.pk, user=agent)
    titles = list(proposal.versions.order_by("number").values_list("snapshot__title", flat=True))
    assert titles == ["Prévenir les ruptures d'approvisionnement", "Titre v2"]
    proposal.refresh_from_db()
    assert not proposal.has_unsubmitted_changes


def test_incomplete_proposal_cannot_be_submitted_and_every_missing_field_is_named():
    agent = make_agent()
    proposal = services.proposal_create(call=make_call(), user=agent, data={"title": "Un titre"})
    with pytest.raises(ValidationError) as exc:
        services.proposal_submit(proposal_id=proposal.pk, user=agent)
    errors = exc.value.message_dict
    assert {"summary", "mentor_email", "sponsor_name", "cofunding_share"} <= set(errors)
    assert "developers_wanted" in errors  # no profile wanted
    assert "title" not in errors
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT


def test_submission_with_an_outdated_version_is_refused():
    agent = make_agent()
    proposal = draft(make_call(), agent)
    services.proposal_save_draft(
        proposal=proposal, user=agent, data={"title": "Autre"}, expected_version=1
    )
    with pytest.raises(services.StaleProposalError):
        services.proposal_submit(proposal_id=proposal.pk, user=agent, expected_version=1)


# --- statuses ------------------------------------------------------------------------------


def test_withdraw_records_who_when_and_why():
    agent = make_agent()
    proposal = draft(make_call(), agent)
    services.proposal_submit(proposal_id=proposal.pk, user=agent)
    services.proposal_withdraw(proposal_id=proposal.pk, user=agent, message="Projet reporté")
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    change = proposal.status_changes.latest("at")
    assert (change.from_status, change.to_status, change.message) == (
        Status.SUBMITTED,
        Status.WITHDRAWN,
        "Projet reporté",
    )
    with pytest.raises(ValidationError):
        services.proposal_save_draft(
            proposal=proposal, user=agent, data={"title": "x"}, expected_version=proposal.version
        )


def test_a_decided_proposal_cannot_be_withdrawn(coordinator):
    agent = make_agent()
    proposal = draft(make_call(), agent)
    services.proposal_submit(proposal_id=proposal.pk, user=agent)
    services.proposal_change_status(proposal=proposal, to_status=Status.SELECTED, by=coordinator)
    with pytest.raises(ValidationError) as exc:
        services.proposal_withdraw(proposal_id=proposal.pk, user=agent)
    assert exc.value.code == "bad_transition"


def test_a_draft_cannot_be_selected(coordinator):
    proposal = draft(make_call(), make_agent())
    with pytest.raises(ValidationError):
        services.proposal_change_status(
            proposal=proposal, to_status=Status.SELECTED, by=coordinator
        )


def test_correction_request_needs_a_message_and_reopens_after_the_deadline(clock, coordinator):
    call = call_closing_at(paris(2027, 3, 7, 23, 59, 59))
    agent = make_agent()
    clock(paris(2027, 3, 1, 9, 0))
    proposal = draft(call, agent)
    services.proposal_submit(proposal_id=proposal.pk, user=agent)
    clock(paris(2027, 3, 20, 9, 0))
    with pytest.raises(ValidationError):
        services.proposal_request_correction(proposal=proposal, by=coordinator, message="  ")
    change = services.proposal_request_correction(
        proposal=proposal, by=coordinator, message="Précisez le cofinancement."
    )
    assert (change.to_status, change.by, change.message) == (
        Status.CORRECTION_REQUESTED,
        coordinator,
        "Précisez le cofinancement.",
    )
    proposal.refresh_from_db()
    edited = services.proposal_save_draft(
        proposal=proposal,
        user=agent,
        data={"funding_notes": "50 % sur deux ans"},
        expected_version=proposal.version,
    )
    resubmitted = services.proposal_submit(proposal_id=edited.pk, user=agent)
    assert resubmitted.status == Status.SUBMITTED
    assert resubmitted.versions.count() == 2


# --- attachments ---------------------------------------------------------------------------


def test_a_pdf_is_stored_through_the_storage_with_its_original_name(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agent = make_agent()
    proposal = draft(make_call(), agent)
    attachment = services.attachment_add(
        proposal=proposal, user=agent, uploaded_file=pdf_file("Présentation.pdf")
    )
    assert attachment.original_name == "Présentation.pdf"
    assert attachment.size == 2000
    assert attachment.file.name.startswith(f"proposals/{proposal.pk}/")
    assert "Présentation" not in attachment.file.name
    with attachment.file.open("rb") as f:
        assert f.read(5) == b"%PDF-"


@pytest.mark.parametrize(
    "content, code",
    [(b"PK\x03\x04 a zip renamed", "not_pdf"), (b"<html>%PDF-</html>" + b" " * 2000, "not_pdf")],
)
def test_a_file_named_pdf_that_is_not_a_pdf_is_refused(content, code):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if b"<html>" in content:
        content = b" " * 1100 + content  # the marker beyond the first KB does not count
    with pytest.raises(ValidationError) as exc:
        services.attachment_validate(SimpleUploadedFile("faux.pdf", content))
    assert exc.value.code == code


def _pdf_like_attempts():
    """Files a browser or a PDF reader might take for a PDF, each of which must be refused."""
    from tests.pdfs import make_pdf

    plain = make_pdf()
    return [
        ("Budget 2027.exe", b"MZ\x90\x00" + b"\x00" * 64 + plain, "not_pdf"),  # executable
        ("page.pdf", b"<html><script>alert(1)</script>" + plain, "not_pdf"),  # HTML polyglot
        ("vide.pdf", b"%PDF-1.7\n" + b" " * 500, "unreadable"),  # header only
        ("casse.pdf", plain[: len(plain) // 2], "unreadable"),  # truncated
        ("script.pdf", make_pdf(javascript=True), "active_content"),
        ("lance.pdf", make_pdf(launch=True), "active_content"),
        ("porteur.pdf", make_pdf(embedded=True), "active_content"),
        # A JavaScript action whose name is hidden by a #xx escape: found once decoded.
        ("cache.pdf", make_pdf(javascript=True).replace(b"/JavaScript", b"/J#61vaScript"), None),
    ]


def test_only_readable_pdfs_without_active_content_are_accepted():
    from django.core.files.uploadedfile import SimpleUploadedFile

    attempts = refused = 0
    for name, content, code in _pdf_like_attempts():
        attempts += 1
        with pytest.raises(ValidationError) as exc:
            services.attachment_validate(SimpleUploadedFile(name, content))
        refused += 1
        if code is not None:
            assert exc.value.code == code, name
        assert name in exc.value.messages[0]
    assert (attempts, refused) == (8, 8)
    services.attachment_validate(pdf_file())  # a plain PDF passes


@pytest.mark.parametrize(
    "name, stored",
    [
        ("Budget 2027.exe", "Budget 2027.pdf"),
        ("rapport.PDF", "rapport.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\a\\note.html", "note.pdf"),
        (".pdf", "document.pdf"),
    ],
)
def test_an_attachment_is_stored_and_served_with_a_pdf_name(settings, tmp_path, name, stored):
    settings.MEDIA_ROOT = tmp_path
    agent = make_agent()
    proposal = draft(make_call(), agent)
    attachment = services.attachment_add(
        proposal=proposal, user=agent, uploaded_file=pdf_file(name)
    )
    assert attachment.original_name == stored
    assert attachment.file.name.endswith(".pdf")


def test_a_pdf_over_10_mb_is_refused():
    with pytest.raises(ValidationError) as exc:
        services.attachment_validate(pdf_file(size=10 * 1024 * 1024 + 1))
    assert exc.value.code == "too_large"
    services.attachment_validate(pdf_file(size=10 * 1024 * 1024))  # exactly 10 MB is fine


def test_an_attachment_of_a_submitted_version_cannot_be_deleted(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agent = make_agent()
    proposal = draft(make_call(), agent)
    attachment = services.attachment_add(proposal=proposal, user=agent, uploaded_file=pdf_file())
    services.proposal_submit(proposal_id=proposal.pk, user=agent)
    with pytest.raises(ValidationError):
        services.attachment_delete(attachment=attachment, user=agent)
    assert proposal.attachments.count() == 1


# --- accounts and access -------------------------------------------------------------------


def test_agent_profile_with_a_requested_administration_creates_an_unconfirmed_one():
    user = UserFactory()
    profile = services.agent_profile_create(
        user=user, requested_administration_name="Agence nationale des fréquences"
    )
    assert profile.administration.name == "Agence nationale des fréquences"
    assert profile.administration.is_confirmed is False
    assert profile.is_confirmed is False


def test_agent_profile_reuses_an_existing_administration_of_the_same_name():
    existing = AdministrationFactory(name="Cour des comptes")
    profile = services.agent_profile_create(
        user=UserFactory(), requested_administration_name="cour des comptes"
    )
    assert profile.administration == existing
    assert Administration.objects.filter(name__iexact="cour des comptes").count() == 1


def test_agent_profile_needs_exactly_one_administration_choice():
    with pytest.raises(ValidationError):
        services.agent_profile_create(user=UserFactory())
    with pytest.raises(ValidationError):
        services.agent_profile_create(
            user=UserFactory(),
            administration=AdministrationFactory(),
            requested_administration_name="Autre",
        )


def test_an_agent_of_another_administration_gets_404():
    call = make_call()
    proposal = draft(call, make_agent())
    other = make_agent()
    with pytest.raises(Http404):
        access.proposal_for_agent_or_404(other, proposal.pk)
    with pytest.raises(Http404):
        access.proposal_for_reader_or_404(other, proposal.pk)


def test_confirmed_colleagues_share_proposals_but_unconfirmed_ones_see_only_their_own():
    author = make_agent()
    administration = author.agent_profile.administration
    colleague = make_agent(administration, confirmed=True)
    newcomer = make_agent(administration, confirmed=False)
    proposal = draft(make_call(), author)
    assert access.proposal_for_agent_or_404(colleague, proposal.pk) == proposal
    with pytest.raises(Http404):
        access.proposal_for_agent_or_404(newcomer, proposal.pk)


def test_staff_read_every_proposal_but_do_not_edit_them(coordinator):
    proposal = draft(make_call(), make_agent())
    assert access.proposal_for_reader_or_404(coordinator, proposal.pk) == proposal
    with pytest.raises(Http404):
        access.proposal_for_agent_or_404(coordinator, proposal.pk)


# --- concurrency (PostgreSQL) --------------------------------------------------------------


def _run_concurrently(n, target):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker():
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as exc:  # noqa: BLE001 — collected and asserted on below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_final_submissions_make_one_submission():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers differently)")
    agent = make_agent()
    proposal = draft(make_call(), agent)
    results, errors = _run_concurrently(
        4, lambda: services.proposal_submit(proposal_id=proposal.pk, user=agent).pk
    )
    assert not errors, errors
    assert results == [proposal.pk] * 4
    assert ChallengeProposal.objects.count() == 1
    assert ProposalVersion.objects.filter(proposal=proposal).count() == 1
    assert proposal.status_changes.filter(to_status=Status.SUBMITTED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_with_one_token_make_one_proposal():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    call, agent, token = make_call(), make_agent(), uuid.uuid4()
    results, errors = _run_concurrently(
        4,
        lambda: (
            services.proposal_create(
                call=call, user=agent, creation_token=token, data={"title": "Un seul"}
            ).pk
        ),
    )
    assert not errors, errors
    assert len(set(results)) == 1
    assert ChallengeProposal.objects.count() == 1
