"""The programme's demo data on the real data: idempotent, every printed link opens."""

import re

import pytest

from challenges.followup.demo import create_demo_programme
from challenges.importers import import_eig_data
from challenges.models import Outcome, ProgressUpdate
from promotions.models import Event, EventInvitation

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_its_links_open(client, settings, coordinator):
    settings.SITE_URL = "http://testserver"
    import_eig_data()
    create_demo_programme()
    counts = [m.objects.count() for m in (Event, EventInvitation, ProgressUpdate, Outcome)]
    lines = create_demo_programme()
    assert [m.objects.count() for m in (Event, EventInvitation, ProgressUpdate, Outcome)] == counts
    assert EventInvitation.objects.filter(is_waitlisted=True).exists()
    assert EventInvitation.objects.filter(attended=True).exists()
    client.force_login(coordinator)
    urls = [re.search(r"http://testserver(\S+)", line).group(1) for line in lines if "http" in line]
    assert len(urls) == 8
    for url in urls:
        assert client.get(url).status_code == 200, url
