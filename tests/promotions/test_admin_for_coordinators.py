"""What coordinators meet in the admin of promotions and questionnaires: no technical
periodic-task screens, French spreadsheet columns, choices shown with their labels."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from promotions.admin import FellowResource
from promotions.models import Fellow
from promotions.permissions import COORDINATORS_GROUP, coordinators_group_sync
from tests.factories import FellowFactory

pytestmark = pytest.mark.django_db

BEAT_URL = "/admin/django_celery_beat/periodictask/"


def test_coordinators_do_not_see_the_periodic_task_screens(client, coordinator):
    client.force_login(coordinator)
    index = client.get(reverse("admin:index")).content.decode()
    assert "django_celery_beat" not in index
    assert client.get(BEAT_URL).status_code == 403
    group = Group.objects.get(name=COORDINATORS_GROUP)
    assert not group.permissions.filter(content_type__app_label="django_celery_beat").exists()


def test_a_group_given_the_periodic_tasks_earlier_loses_them_at_the_next_migrate():
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name=COORDINATORS_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="django_celery_beat"))
    coordinators_group_sync()
    assert not group.permissions.filter(content_type__app_label="django_celery_beat").exists()
    assert group.permissions.filter(content_type__app_label="surveys").exists()


def test_superusers_keep_the_periodic_task_screens(admin_client):
    assert admin_client.get(BEAT_URL).status_code == 200


def test_spreadsheet_columns_are_named_in_french():
    FellowFactory(profile=Fellow.Profile.DESIGNER)
    assert FellowResource().export().headers == [
        "ID",
        "Nom",
        "Courriel",
        "Profil",
        "Intitulé du poste",
        "Promotion",
        "Clé d'import",
    ]


def test_history_shows_choice_labels_not_codes(client, coordinator):
    fellow = FellowFactory(profile=Fellow.Profile.DEVELOPER)
    fellow.profile = Fellow.Profile.DESIGNER
    fellow.save()
    client.force_login(coordinator)
    html = client.get(reverse("admin:promotions_fellow_history", args=[fellow.pk])).content.decode()
    developer, designer = Fellow.Profile.DEVELOPER.label, Fellow.Profile.DESIGNER.label
    assert str(developer) in html and str(designer) in html
    assert "developer" not in html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
