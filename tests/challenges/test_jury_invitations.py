"""Coordinators invite jury members (account, group, verified email, set-password link) and
jurors are emailed their assignments."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from challenges.calls import tasks
from challenges.calls.admin.forms import AssignJurorsForm
from challenges.calls.jury import JURY_GROUP, juror_invite, jury_assign, jury_declare_conflict
from challenges.models import ChallengeProposal, JuryAssignment, NotificationLog
from tests.challenges.call_builders import make_call, make_proposal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = ChallengeProposal.Status
INVITE_URL = "/admin/challenges/juryassignment/inviter/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the on-commit callbacks (the queued emails) at the end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def link_in(body: str, path_start: str) -> str:
    match = re.search(r"https?://\S+?(" + re.escape(path_start) + r"\S*)", body)
    assert match, body
    return match.group(1)


def test_invite_creates_a_jury_account_with_a_verified_email_and_a_set_password_link(
    coordinator, client, committed
):
    with committed():
        invitation = juror_invite(
            email=" Claire.Dupont@Example.gouv.fr ",
            first_name="Claire",
            last_name="Dupont",
            invited_by=coordinator,
        )
        assert mail.outbox == []  # queued on commit

    user = invitation.user
    assert invitation.created
    assert (user.email, user.first_name, user.last_name) == (
        "claire.dupont@example.gouv.fr",
        "Claire",
        "Dupont",
    )
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser
    assert user.groups.filter(name=JURY_GROUP).exists()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (user.email, True, True)
    assert user in AssignJurorsForm().fields["jurors"].queryset

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire.dupont@example.gouv.fr"]
    assert "jury" in message.subject
    assert "Bonjour Claire," in message.body
    link = link_in(message.body, "/comptes/password/reset/key/")
    assert link in message.alternatives[0][0]

    # The link sets the password; then the juror logs in with it (email already verified).
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"password1": "Jury-secret-2027!", "password2": "Jury-secret-2027!"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Jury-secret-2027!")
    response = client.post(
        reverse("account_login"),
        {"login": "claire.dupont@example.gouv.fr", "password": "Jury-secret-2027!"},
    )
    assert response.status_code == 302
    assert client.get(reverse("jury:list")).status_code == 200


def test_invite_reuses_an_existing_account_without_touching_its_password_or_flags(
    coordinator, committed
):
    existing = UserFactory(
        username="admin2", email="Chef@Example.gouv.fr", is_staff=True, first_name=""
    )
    with committed():
        invitation = juror_invite(
            email="chef@example.gouv.fr",
            first_name="Alex",
            last_name="Martin",
            invited_by=coordinator,
        )

    assert not invitation.created and invitation.user == existing
    existing.refresh_from_db()
    assert existing.check_password("user-pass-2027") and existing.is_staff
    assert not existing.is_superuser
    assert existing.first_name == "Alex"  # blank names are filled in, nothing else
    assert existing.groups.filter(name=JURY_GROUP).exists()
    assert EmailAddress.objects.filter(user=existing, verified=True, primary=True).count() == 1
    body = mail.outbox[0].body
    assert "/comptes/password/reset/key/" not in body  # they have a password: log in
    assert "/comptes/login/" in body
    assert get_user_count() == 2  # coordinator + existing: no duplicate


def get_user_count():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.count()


def test_inviting_again_sends_a_fresh_link_and_a_retried_task_sends_once(coordinator, committed):
    with committed():
        first = juror_invite(
            email="jure@example.gouv.fr", first_name="A", last_name="B", invited_by=coordinator
        )
    with committed():
        juror_invite(
            email="JURE@example.gouv.fr", first_name="", last_name="", invited_by=coordinator
        )
    assert len(mail.outbox) == 2 and get_user_count() == 2
    key = NotificationLog.objects.filter(key__startswith=f"jury-invitation:user:{first.user.pk}:")
    assert key.count() == 2

    token = key.first().key.rsplit(":", 1)[1]
    assert tasks.send_juror_invitation(first.user.pk, token) is False  # duplicate delivery
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("who", ["agent", "staff_without_permission", "inactive_coordinator"])
def test_only_coordinators_may_invite(coordinator, who):
    if who == "agent":
        by = UserFactory()
    elif who == "staff_without_permission":
        by = UserFactory(is_staff=True)
    else:
        coordinator.is_active = False
        coordinator.save()
        by = coordinator
    with pytest.raises(PermissionDenied):
        juror_invite(email="x@example.gouv.fr", first_name="X", last_name="Y", invited_by=by)
    assert get_user_count() == (2 if who != "inactive_coordinator" else 1)
    assert mail.outbox == []


def test_a_deactivated_account_is_not_revived(coordinator):
    UserFactory(username="old", email="old@example.gouv.fr", is_active=False)
    with pytest.raises(ValidationError) as error:
        juror_invite(
            email="old@example.gouv.fr", first_name="O", last_name="L", invited_by=coordinator
        )
    assert "email" in error.value.message_dict
    assert not Group.objects.filter(name=JURY_GROUP, user__username="old").exists()
    assert mail.outbox == []


# --- the admin page -------------------------------------------------------------------------


def test_coordinator_invites_from_the_admin_and_cannot_add_users_directly(
    coordinator, client, committed
):
    client.force_login(coordinator)
    assert client.get("/admin/auth/user/add/").status_code == 403  # still no user admin

    changelist = client.get(reverse("admin:challenges_challengeproposal_changelist"))
    assert INVITE_URL in changelist.content.decode()
    assert INVITE_URL in client.get("/admin/challenges/juryassignment/").content.decode()
    assert client.get(INVITE_URL).status_code == 200

    # Invalid: every error shown, what was typed kept, nothing created.
    response = client.post(
        INVITE_URL, {"email": "pas-une-adresse", "first_name": "Claire", "last_name": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="pas-une-adresse"' in page and 'value="Claire"' in page
    assert page.count('class="errorlist') == 2 and get_user_count() == 1

    with committed():
        response = client.post(
            INVITE_URL,
            {"email": "claire@example.gouv.fr", "first_name": "Claire", "last_name": "Dupont"},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == reverse(
        "admin:challenges_challengeproposal_changelist"
    )
    assert "Compte créé pour Claire Dupont" in response.content.decode()
    assert len(mail.outbox) == 1


def test_invite_page_refuses_staff_without_the_permission(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(INVITE_URL).status_code == 403
    assert (
        client.post(
            INVITE_URL, {"email": "a@example.gouv.fr", "first_name": "A", "last_name": "B"}
        ).status_code
        == 403
    )
    assert get_user_count() == 1


# --- assignment emails ----------------------------------------------------------------------


def test_each_juror_gets_one_email_per_assignment_batch(coordinator, committed):
    call = make_call(title="Appel EIG 9")
    first = make_proposal(call, title="Datajust")
    second = make_proposal(call, title="Basegun", status=Status.UNDER_REVIEW)
    juror_a = UserFactory(username="ja", first_name="Ana")
    juror_b = UserFactory(username="jb")

    with committed():
        jury_assign(proposals=[first, second], jurors=[juror_a, juror_b], by=coordinator)
    assert sorted(m.to[0] for m in mail.outbox) == ["ja@example.gouv.fr", "jb@example.gouv.fr"]
    to_a = next(m for m in mail.outbox if m.to == ["ja@example.gouv.fr"])
    assert "2 candidatures à évaluer" in to_a.subject
    assert "Bonjour Ana," in to_a.body
    assert "Basegun" in to_a.body and "Datajust" in to_a.body and "Appel EIG 9" in to_a.body
    for assignment in JuryAssignment.objects.filter(juror=juror_a):
        assert f"/defis/jury/{assignment.pk}/" in to_a.body

    # Same batch again: nothing new, nothing sent. A later batch: one more email, new rows only.
    with committed():
        jury_assign(proposals=[first, second], jurors=[juror_a], by=coordinator)
    assert len(mail.outbox) == 2
    third = make_proposal(call, title="Archifiltre")
    with committed():
        jury_assign(proposals=[first, third], jurors=[juror_a], by=coordinator)
    assert len(mail.outbox) == 3
    assert "1 candidature à évaluer" in mail.outbox[-1].subject
    assert "Archifiltre" in mail.outbox[-1].body and "Datajust" not in mail.outbox[-1].body


def test_assignment_email_task_is_idempotent_and_skips_conflicts(coordinator, committed):
    proposal = make_proposal(make_call())
    juror = UserFactory()
    with committed():
        jury_assign(proposals=[proposal], jurors=[juror], by=coordinator)
    assignment = JuryAssignment.objects.get()
    sent = len(mail.outbox)
    assert sent == 1
    assert tasks.send_jury_assignments(juror.pk, [assignment.pk]) is False
    assert len(mail.outbox) == sent

    NotificationLog.objects.all().delete()
    jury_declare_conflict(assignment=assignment, by=juror)
    assert tasks.send_jury_assignments(juror.pk, [assignment.pk]) is False


def test_an_invited_juror_without_assignments_yet_lands_on_the_jury_page(coordinator, client):
    invitation = juror_invite(
        email="new@example.gouv.fr", first_name="N", last_name="J", invited_by=coordinator
    )
    client.force_login(invitation.user)
    assert client.get(reverse("proposals:after_login")).url == reverse("jury:list")
    assert client.get(reverse("jury:list")).status_code == 200
