"""The public data holds no dated outcome: importing it creates none."""

import pytest

from challenges.models import Outcome

pytestmark = pytest.mark.django_db


def test_real_data_import_creates_no_outcome(real_data):
    from challenges.models import Challenge

    assert Challenge.objects.count() > 100
    assert Outcome.objects.count() == 0
