"""URLs of the alumni (namespace ``alumni``), mounted at ``/alumni/``."""

from django.urls import path

from . import views

app_name = "alumni"

urlpatterns = [
    path("", views.directory_view, name="directory"),
    path("fiche/<str:token>/", views.entry_edit_view, name="edit"),
]
