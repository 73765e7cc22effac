"""URLs of the call for candidates (« appel à candidatures »): public call page, the
candidate's application, the jury's pages, interview booking and the matching."""

from django.urls import path

from . import views

app_name = "recruitment"

urlpatterns = [
    path("<slug:slug>/", views.call_detail_view, name="call"),
    path("<slug:slug>/candidater/", views.application_start_view, name="apply"),
    path("candidature/<int:pk>/", views.application_detail_view, name="application"),
    path("entretien/<uuid:token>/", views.interview_book_view, name="interview_book"),
]
