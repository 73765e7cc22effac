"""A closed call says since when it is closed, not « jusqu'au … »."""

from datetime import timedelta

import pytest
from django.urls import reverse

from challenges.templatetags.calls import has_passed, paris_deadline
from tests.challenges.call_builders import make_call, make_proposal
from tests.challenges.proposal_helpers import paris

pytestmark = pytest.mark.django_db


def test_deadline_wording_switches_at_the_closing_second():
    closes = paris(2027, 3, 7, 23, 59, 59)
    before, after = closes - timedelta(seconds=30), closes + timedelta(seconds=2)
    assert paris_deadline(closes, before) == "jusqu'au 7 mars 2027 à 23 h 59, heure de Paris"
    assert paris_deadline(closes, closes) == "jusqu'au 7 mars 2027 à 23 h 59, heure de Paris"
    assert paris_deadline(closes, after) == "clos depuis le 7 mars 2027 à 23 h 59, heure de Paris"
    assert not has_passed(closes, closes) and has_passed(closes, after)


def test_closed_call_pages_say_closed_since(client):
    call = make_call(title="Appel EIG 7", closes_in=-timedelta(days=2))
    proposal = make_proposal(call)
    client.force_login(proposal.created_by)

    for url in (reverse("proposals:detail", args=[proposal.pk]), call.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "clos depuis le" in page, url
        assert "jusqu&#x27;au" not in page and "jusqu'au" not in page, url


def test_open_call_pages_still_say_until(client):
    call = make_call(closes_in=timedelta(days=20))
    proposal = make_proposal(call)
    client.force_login(proposal.created_by)
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "jusqu&#x27;au" in page or "jusqu'au" in page
    assert "clos depuis" not in page
