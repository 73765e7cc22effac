"""URLs of the call for candidates (« appel à candidatures »): public call page, candidate
sign-up and application, the jury's pages, interview booking, slots and the matching."""

from django.urls import path

from . import coordination_views, jury_views, views

app_name = "recruitment"

urlpatterns = [
    path("inscription/", views.candidate_signup_view, name="signup"),
    path("candidature/<int:pk>/", views.application_detail_view, name="application"),
    path("candidature/<int:pk>/depot/", views.application_submit_view, name="submit"),
    path("candidature/<int:pk>/cv/", views.application_cv_view, name="cv"),
    path("candidature/<int:pk>/retrait/", views.application_withdraw_view, name="withdraw"),
    path("candidature/<int:pk>/suppression/", views.application_delete_view, name="delete"),
    path("candidature/<int:pk>/donnees/", views.application_data_view, name="data"),
    path("candidature/<int:pk>/<slug:step>/", views.application_edit_view, name="edit"),
    path("entretien/<uuid:token>/", jury_views.interview_book_view, name="interview_book"),
    path("jury/", jury_views.jury_home_view, name="jury_home"),
    path("jury/defi/<int:challenge_id>/", jury_views.jury_challenge_view, name="jury_challenge"),
    path(
        "jury/defi/<int:challenge_id>/classement/",
        jury_views.jury_ranking_view,
        name="jury_ranking",
    ),
    path(
        "jury/defi/<int:challenge_id>/export.csv", jury_views.jury_export_view, name="jury_export"
    ),
    path(
        "jury/defi/<int:challenge_id>/candidat/<int:choice_id>/",
        jury_views.jury_review_view,
        name="jury_review",
    ),
    path(
        "jury/defi/<int:challenge_id>/candidat/<int:choice_id>/conflit/",
        jury_views.jury_conflict_view,
        name="jury_conflict",
    ),
    path(
        "jury/defi/<int:challenge_id>/candidat/<int:choice_id>/cv/",
        jury_views.jury_cv_view,
        name="jury_cv",
    ),
    path(
        "coordination/defi/<int:challenge_id>/entretiens/",
        coordination_views.slots_view,
        name="slots",
    ),
    path("coordination/<slug:slug>/equipes/", coordination_views.matching_view, name="matching"),
    path("<slug:slug>/", views.call_detail_view, name="call"),
    path("<slug:slug>/candidater/", views.application_start_view, name="apply"),
]
