"""A user's permissions, read in one query, are exactly the ones Django's own backend reads."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from eig_portal.common.auth_backend import PermissionsBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _perm(codename):
    return Permission.objects.get(codename=codename)


@pytest.fixture
def people():
    editors = Group.objects.create(name="editors")
    editors.permissions.add(_perm("change_promotion"), _perm("view_challenge"))
    readers = Group.objects.create(name="readers")
    readers.permissions.add(_perm("view_challenge"), _perm("view_survey"))
    direct = UserFactory()
    direct.user_permissions.add(_perm("view_fellow"))
    grouped = UserFactory()
    grouped.groups.add(editors, readers)
    both = UserFactory()
    both.user_permissions.add(_perm("view_challenge"), _perm("delete_response"))
    both.groups.add(editors)
    inactive = UserFactory(is_active=False)
    inactive.user_permissions.add(_perm("view_fellow"))
    return [direct, grouped, both, inactive, UserFactory(), UserFactory(is_superuser=True)]


def _fresh(user):
    return type(user).objects.get(pk=user.pk)  # no permission cache


def test_same_permissions_as_djangos_backend(people):
    for user in people:
        expected = ModelBackend().get_all_permissions(_fresh(user))
        assert PermissionsBackend().get_all_permissions(_fresh(user)) == expected
    grouped = _fresh(people[1])
    assert PermissionsBackend().get_all_permissions(grouped) == {
        "promotions.change_promotion",
        "challenges.view_challenge",
        "surveys.view_survey",
    }
    assert PermissionsBackend().get_all_permissions(_fresh(people[3])) == set()  # inactive


def test_one_query_then_kept_for_the_request(people, django_assert_num_queries):
    user = _fresh(people[2])
    with django_assert_num_queries(1):
        assert user.has_perm("surveys.delete_response")
        assert user.has_perm("promotions.change_promotion")
        assert not user.has_perm("promotions.delete_promotion")


def test_a_session_opened_through_djangos_own_backend_stays_valid(client, coordinator):
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/promotions/chiffres/").status_code == 200
