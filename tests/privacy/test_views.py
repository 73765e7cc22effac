"""Pages of personal data: public page, « Mes données », coordinators' register, person,
due deletions — access, wrong method, main path."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from eig_portal.privacy.models import RetentionKind, RetentionNotice
from promotions.models import Fellow
from tests.factories import FellowFactory, UserFactory

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["privacy:register", "privacy:person", "privacy:notices"]


@pytest.fixture
def notice():
    user = UserFactory()
    return RetentionNotice.objects.create(
        kind=RetentionKind.INACTIVE_ACCOUNTS,
        content_type=ContentType.objects.get_for_model(user),
        object_id=user.pk,
        description=f"Compte n° {user.pk}",
        recipient=user.email,
        due_at=timezone.now() + timedelta(days=30),
        notified_at=timezone.now(),
    )


def test_public_page_lists_the_register_and_is_linked_from_the_footer(client):
    response = client.get(reverse("privacy:public"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Mission d&#x27;intérêt public" in text or "Mission d'intérêt public" in text
    assert "Invitation" in text and "Courriel" in text
    home = client.get("/").content.decode()
    assert f'href="{reverse("privacy:public")}"' in home


def test_public_page_refuses_post(client):
    assert client.post(reverse("privacy:public")).status_code == 405


def test_my_data_needs_a_login(client):
    response = client.get(reverse("privacy:my_data_download"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_my_data_downloads_the_signed_in_persons_json_only(client):
    me = UserFactory(email="me@example.gouv.fr", first_name="Moi")
    UserFactory(email="other@example.gouv.fr", first_name="Autre")
    client.force_login(me)
    page = client.get(reverse("privacy:my_data"))
    assert page.status_code == 200
    response = client.get(reverse("privacy:my_data_download"))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert [a["first_name"] for a in data["accounts"]] == ["Moi"]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_send_anonymous_users_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_refuse_other_users(client, name):
    client.force_login(UserFactory(is_staff=True))  # staff without the right
    assert client.get(reverse(name)).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse(name)).status_code == 403


def test_register_page_is_open_to_staff_with_the_permission(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_register"))
    client.force_login(user)
    response = client.get(reverse("privacy:register"))
    assert response.status_code == 200
    assert "promotions.HistoricalFellow.email" in response.content.decode()


def test_register_page_for_coordinators(client, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("privacy:register"))
    assert "surveys.Invitation.email" in response.content.decode()


def test_person_page_previews_and_exports(client, coordinator):
    FellowFactory(name="Alice Martin", email="alice@example.gouv.fr")
    client.force_login(coordinator)
    page = client.get(reverse("privacy:person"), {"email": "alice@example.gouv.fr"})
    assert page.status_code == 200
    assert "Ce qui est effacé" in page.content.decode()
    export = client.get(reverse("privacy:person_download"), {"email": "alice@example.gouv.fr"})
    assert json.loads(export.content)["fellows"][0]["name"] == "Alice Martin"


def test_erasure_needs_a_post_and_a_confirmation(client, coordinator):
    fellow = FellowFactory(name="Alice Martin", email="alice@example.gouv.fr")
    client.force_login(coordinator)
    url = reverse("privacy:person_erase")
    assert client.get(url).status_code == 405
    refused = client.post(url, {"erase-email": "alice@example.gouv.fr", "erase-reason": "Demande"})
    assert refused.status_code == 400
    assert Fellow.objects.get(pk=fellow.pk).name == "Alice Martin"
    done = client.post(
        url,
        {
            "erase-email": "alice@example.gouv.fr",
            "erase-reason": "Demande du 3 mars",
            "erase-confirm": "on",
        },
    )
    assert done.status_code == 302
    assert Fellow.objects.get(pk=fellow.pk).email == ""


def test_erasure_is_refused_to_other_staff(client):
    FellowFactory(email="alice@example.gouv.fr")
    client.force_login(UserFactory(is_staff=True))
    response = client.post(
        reverse("privacy:person_erase"),
        {"erase-email": "alice@example.gouv.fr", "erase-reason": "x", "erase-confirm": "on"},
    )
    assert response.status_code == 403
    assert Fellow.objects.filter(email="alice@example.gouv.fr").exists()


def test_due_deletions_are_listed_and_can_be_extended(client, coordinator, notice):
    client.force_login(coordinator)
    assert notice.description in client.get(reverse("privacy:notices")).content.decode()
    url = reverse("privacy:notice_extend", args=[notice.pk])
    new_day = (notice.due_at + timedelta(days=90)).date()
    response = client.post(url, {"due_at": new_day.isoformat(), "reason": "Contentieux en cours"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert timezone.localtime(notice.due_at).date() == new_day
    assert notice.extension_reason == "Contentieux en cours"
    assert notice.extended_by == coordinator


def test_an_earlier_date_is_refused_with_a_message(client, coordinator, notice):
    client.force_login(coordinator)
    url = reverse("privacy:notice_extend", args=[notice.pk])
    response = client.post(url, {"due_at": timezone.now().date().isoformat(), "reason": "x"})
    assert response.status_code == 400
    assert "postérieure" in response.content.decode()


def test_extension_page_404_for_a_closed_notice(client, coordinator, notice):
    notice.status = RetentionNotice.Status.APPLIED
    notice.save()
    client.force_login(coordinator)
    url = reverse("privacy:notice_extend", args=[notice.pk])
    assert client.get(url).status_code == 404


def test_admin_lists_due_deletions_with_a_link_to_extend(client, coordinator, notice):
    client.force_login(coordinator)
    response = client.get(reverse("admin:privacy_retentionnotice_changelist"))
    assert response.status_code == 200
    assert reverse("privacy:notice_extend", args=[notice.pk]) in response.content.decode()


def test_person_page_and_due_list_issue_a_bounded_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    for _ in range(5):
        FellowFactory(email="alice@example.gouv.fr")
        user = UserFactory()
        RetentionNotice.objects.create(
            kind=RetentionKind.INACTIVE_ACCOUNTS,
            content_type=ContentType.objects.get_for_model(user),
            object_id=user.pk,
            due_at=timezone.now() + timedelta(days=30),
            notified_at=timezone.now(),
        )
    client.force_login(coordinator)
    with django_assert_max_num_queries(18):
        client.get(reverse("privacy:person"), {"email": "alice@example.gouv.fr"})
    with django_assert_max_num_queries(10):
        response = client.get(reverse("privacy:notices"))
    assert response.content.decode().count("Reporter<span") == 5


def test_an_eig_without_address_is_found_by_name_exported_and_erased(client, coordinator):
    fellow = FellowFactory(name="Bruno Petit", email="")
    client.force_login(coordinator)
    found = client.get(reverse("privacy:person"), {"name": "petit"})
    assert f'href="?fellow={fellow.pk}"' in found.content.decode()
    preview = client.get(reverse("privacy:person"), {"fellow": fellow.pk})
    assert "1 fiche EIG" in preview.content.decode()
    export = client.get(reverse("privacy:person_download"), {"fellow": fellow.pk})
    assert json.loads(export.content)["fellows"][0]["name"] == "Bruno Petit"
    done = client.post(
        reverse("privacy:person_erase"),
        {"erase-fellow": fellow.pk, "erase-reason": "Demande orale", "erase-confirm": "on"},
    )
    assert done.status_code == 302
    fellow.refresh_from_db()
    assert "Bruno" not in fellow.name


def test_the_lookup_needs_an_address_or_a_name(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("privacy:person"), {"email": "", "name": ""})
    assert "Indiquez une adresse électronique ou un nom." in response.content.decode()
