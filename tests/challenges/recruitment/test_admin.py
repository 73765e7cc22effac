"""Coordinators' admin of the call for candidates: filters, bulk actions through the services,
the CSV import page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from challenges.models import Application, InterviewSlot
from tests.factories import ChallengeFactory

from .builders import make_application, make_opening, make_recruitment_call

pytestmark = pytest.mark.django_db
Status = Application.Status
CHANGELIST = "admin:challenges_application_changelist"


def test_the_list_filters_by_profile_defi_and_status(client, coordinator):
    call = make_recruitment_call()
    one, two = make_opening(call), make_opening(call)
    ada = make_application(call, challenges=[one.challenge], profile="designer", last_name="Ada")
    make_application(call, challenges=[two.challenge], profile="developer", last_name="Bob")
    client.force_login(coordinator)
    url = reverse(CHANGELIST)
    html = client.get(
        url,
        {
            "profile__exact": "designer",
            "status__exact": "submitted",
            "choices__challenge__id__exact": one.challenge_id,
        },
    ).content.decode()
    assert "Ada" in html and "Candidat Bob" not in html
    assert ada.email in html
    # The défi is chosen in a search box holding the chosen one, not a link per défi.
    assert f'<option value="{one.challenge_id}" selected>{one.challenge}</option>' in html
    assert str(two.challenge) not in html


def test_the_defi_filters_stay_one_box_however_many_defis(
    client, coordinator, django_assert_max_num_queries
):
    call = make_recruitment_call()
    opening = make_opening(call)
    make_application(call, challenges=[opening.challenge], last_name="Ada")
    start = timezone.now() + timedelta(days=3)
    slot = InterviewSlot.objects.create(
        challenge=opening.challenge, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    client.force_login(coordinator)
    urls = {
        reverse(CHANGELIST): {"choices__challenge__id__exact": opening.challenge_id},
        reverse("admin:challenges_interviewslot_changelist"): {
            "challenge__id__exact": opening.challenge_id
        },
    }
    counts = {}
    for url, params in urls.items():
        with django_assert_max_num_queries(15) as few:
            assert client.get(url, params).status_code == 200
        counts[url] = len(few.captured_queries)
    others = ChallengeFactory.create_batch(30)
    for url, params in urls.items():
        with django_assert_max_num_queries(counts[url]):
            response = client.get(url, params)
        html = response.content.decode()
        assert not any(str(defi) in html for defi in others)
    assert list(response.context["cl"].result_list) == [slot]


def test_the_bulk_action_moves_applications_through_the_service(client, coordinator):
    call = make_recruitment_call()
    ok = make_application(call)
    draft = make_application(call, status=Status.DRAFT)
    client.force_login(coordinator)
    client.post(reverse(CHANGELIST), {"action": "preselect", "_selected_action": [ok.pk, draft.pk]})
    ok.refresh_from_db()
    draft.refresh_from_db()
    assert (ok.status, draft.status) == (Status.PRESELECTED, Status.DRAFT)
    assert ok.status_changes.get().by == coordinator


def test_the_import_page_imports_and_reports_row_errors(client, coordinator):
    call = make_recruitment_call()
    ChallengeFactory(promotion=call.promotion, slug="lexia")
    header = "email,first_name,last_name,profile,choices,submitted_at,status,interviewed"
    client.force_login(coordinator)
    url = reverse("admin:challenges_application_import")
    bad = f"{header}\nada@example.org,Ada,L,astronaute,lexia,2018-09-01 10:00,submitted,no"
    response = client.post(
        url,
        {"promotion": call.promotion.pk, "file": SimpleUploadedFile("a.csv", bad.encode())},
    )
    assert "ligne 2, colonne profile" in response.content.decode()
    assert not Application.objects.exists()
    good = bad.replace("astronaute", "designer")
    client.post(
        url, {"promotion": call.promotion.pk, "file": SimpleUploadedFile("a.csv", good.encode())}
    )
    assert Application.objects.get().profile == "designer"


def test_the_import_page_is_for_coordinators(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:challenges_application_import")).status_code == 403


def test_a_decline_names_the_next_candidate_on_the_waiting_list(client, coordinator):
    from challenges.recruitment.decisions import decision_select

    call = make_recruitment_call()
    opening = make_opening(call, developers=1, designers=0)
    ada = make_application(call, challenges=[opening.challenge], status=Status.INTERVIEW)
    bob = make_application(call, challenges=[opening.challenge], status=Status.WAITING_LIST)
    decision_select(application=ada, challenge=opening.challenge, by=coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse(CHANGELIST), {"action": "declines", "_selected_action": [ada.pk]}, follow=True
    )
    assert str(bob) in response.content.decode()
    ada.refresh_from_db()
    assert ada.status == Status.WITHDRAWN and ada.fellow is None
