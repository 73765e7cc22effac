"""Coordinators invite jury members (a single-use link: the role is granted to whoever opens it
and chooses a password) and jurors are emailed their assignments."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from challenges.calls import tasks
from challenges.calls.admin.forms import AssignJurorsForm
from challenges.calls.jury import JURY_GROUP, juror_invite, jury_assign, jury_declare_conflict
from challenges.models import ChallengeProposal, JuryAssignment, NotificationLog
from eig_portal.common.models import RoleInvitation
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


def _accept(client, link, password="Jury-secret-2027!"):
    return client.post(link, {"password1": password, "password2": password})


def test_invite_grants_nothing_until_the_link_is_opened_and_a_password_chosen(
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

    pending = invitation.invitation
    assert invitation.existing_user is None
    assert pending.email == "claire.dupont@example.gouv.fr"
    assert get_user_count() == 1  # no account before the link is opened
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire.dupont@example.gouv.fr"]
    assert "jury" in message.subject
    assert "Bonjour Claire," in message.body
    link = link_in(message.body, "/comptes/invitation/")
    assert link in message.alternatives[0][0]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in pending.token_hash  # only the hash is stored

    assert client.get(link).status_code == 200
    response = _accept(client, link)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="claire.dupont@example.gouv.fr")
    assert (user.first_name, user.last_name) == ("Claire", "Dupont")
    assert user.check_password("Jury-secret-2027!")
    assert not user.is_staff and not user.is_superuser
    assert user.groups.filter(name=JURY_GROUP).exists()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (user.email, True, True)
    assert user in AssignJurorsForm().fields["jurors"].queryset
    assert client.get(reverse("jury:list")).status_code == 200
    # Single use.
    client.logout()
    assert client.get(link).status_code == 404
    assert _accept(client, link, "Autre-secret-2027!").status_code == 404
    user.refresh_from_db()
    assert user.check_password("Jury-secret-2027!")


def test_a_stranger_who_signed_up_with_the_address_gets_no_jury_access(
    coordinator, client, committed
):
    """Someone signs up with the future juror's address (unverified), then the coordinator
    invites that address: the sign-up's password never opens the jury pages."""
    squatter = get_user_model().objects.create_user(
        "intrus", "juree@example.gouv.fr", "Intrus-pass-2027!"
    )
    EmailAddress.objects.create(
        user=squatter, email="juree@example.gouv.fr", verified=False, primary=True
    )

    with committed():
        invitation = juror_invite(
            email="juree@example.gouv.fr", first_name="J", last_name="R", invited_by=coordinator
        )
    assert invitation.existing_user == squatter
    attempts = refused = 0
    # The stranger logs in with the sign-up's password: no role, no jury page, unverified.
    client.post(
        reverse("account_login"),
        {"login": "juree@example.gouv.fr", "password": "Intrus-pass-2027!"},
    )
    for url in (reverse("jury:list"), reverse("proposals:after_login")):
        attempts += 1
        response = client.get(url)
        refused += response.status_code != 200 or "jury" not in response.get("Location", "")
    assert not squatter.groups.filter(name=JURY_GROUP).exists()
    assert not EmailAddress.objects.filter(user=squatter, verified=True).exists()
    client.logout()

    # The mailbox owner opens the link: the account's password is replaced, the role granted.
    invitation_mail = next(m for m in mail.outbox if "/comptes/invitation/" in m.body)
    link = link_in(invitation_mail.body, "/comptes/invitation/")
    assert _accept(client, link, "Vrai-juré-2027!").status_code == 302
    squatter.refresh_from_db()
    assert squatter.groups.filter(name=JURY_GROUP).exists()
    assert not squatter.check_password("Intrus-pass-2027!")
    client.logout()
    attempts += 1
    response = client.post(
        reverse("account_login"),
        {"login": "juree@example.gouv.fr", "password": "Intrus-pass-2027!"},
    )
    refused += response.status_code == 200  # the form again, with an error
    assert (attempts, refused) == (3, 3)


def test_an_expired_or_replaced_link_is_refused(coordinator, client, committed):
    from datetime import timedelta

    from django.utils import timezone

    from eig_portal.common.models import RoleInvitation

    with committed():
        juror_invite(email="j@example.gouv.fr", first_name="", last_name="", invited_by=coordinator)
    first = link_in(mail.outbox[-1].body, "/comptes/invitation/")
    with committed():
        juror_invite(email="J@example.gouv.fr", first_name="", last_name="", invited_by=coordinator)
    second = link_in(mail.outbox[-1].body, "/comptes/invitation/")
    assert client.get(first).status_code == 404  # replaced by the newer invitation
    RoleInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(second).status_code == 404
    assert _accept(client, second).status_code == 404
    assert client.get("/comptes/invitation/" + "x" * 43 + "/").status_code == 404
    assert get_user_count() == 1


def get_user_count():
    return get_user_model().objects.count()


def test_a_retried_invitation_task_sends_once(coordinator, committed):
    with committed():
        juror_invite(
            email="jure@example.gouv.fr", first_name="A", last_name="B", invited_by=coordinator
        )
    pending = RoleInvitation.objects.get()
    token = link_in(mail.outbox[0].body, "/comptes/invitation/").rstrip("/").rsplit("/", 1)[1]
    assert tasks.send_juror_invitation(pending.pk, token) is False  # duplicate delivery
    assert len(mail.outbox) == 1
    assert NotificationLog.objects.filter(key=f"jury-invitation:{pending.pk}").count() == 1


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
    assert not RoleInvitation.objects.exists()
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
    page = response.content.decode()
    assert "Invitation enregistrée pour Claire Dupont" in page
    assert "envoyée" not in page  # queued, not yet sent: the message does not say sent
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


def test_an_invited_juror_without_assignments_yet_lands_on_the_jury_page(
    coordinator, client, committed
):
    with committed():
        juror_invite(
            email="new@example.gouv.fr", first_name="N", last_name="J", invited_by=coordinator
        )
    assert _accept(client, link_in(mail.outbox[0].body, "/comptes/invitation/")).status_code == 302
    assert client.get(reverse("proposals:after_login")).url == reverse("jury:list")
    assert client.get(reverse("jury:list")).status_code == 200
