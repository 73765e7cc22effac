"""Fixtures shared by the promotions tests that work on the programme's real data."""

import pytest
from django.db import transaction

from challenges.importers import import_eig_data


@pytest.fixture(scope="module")
def real_data(django_db_setup, django_db_blocker):
    """The real data (``data/eig-public``) imported once per test module, rolled back at the end.

    Module scope: each module using it imports once, in a transaction rolled back after its
    last test (the tests themselves run in nested transactions, so they see the data).
    """
    with django_db_blocker.unblock():
        with transaction.atomic():
            import_eig_data()
            yield
            transaction.set_rollback(True)


@pytest.fixture
def coord_client(real_data, client, coordinator):
    """The test client logged in as a coordinator (``coordinator`` fixture), on the real data."""
    client.force_login(coordinator)
    return client
