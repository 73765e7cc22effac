"""URLs of the personal-data pages, under ``/donnees-personnelles/``."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.public_page, name="public"),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/telecharger/", views.my_data_download, name="my_data_download"),
    path("registre/", views.register_page, name="register"),
    path("personnes/", views.person_page, name="person"),
    path("personnes/export/", views.person_download, name="person_download"),
    path("personnes/effacer/", views.person_erase_view, name="person_erase"),
    path("echeances/", views.notice_list, name="notices"),
    path("echeances/<int:pk>/prolonger/", views.notice_extend_view, name="notice_extend"),
]
