"""URLs of the défis' follow-up (namespace ``followup``), mounted at ``/defis/`` before the
défi pages."""

from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("suivi/", views.board_view, name="board"),
    path("suivi/<str:token>/", views.team_update_view, name="team"),
    path("suivi/<str:token>/expertise/", views.team_expertise_view, name="team_expertise"),
    path("suivi/<str:token>/lettre/", views.team_digest_view, name="team_digest"),
    path("realisations/", views.realisations_view, name="realisations"),
    path("realisation/<str:token>/", views.outcome_file_view, name="outcome"),
]
