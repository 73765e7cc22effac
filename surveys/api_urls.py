"""Survey API URLs (mounted under /api/v1/surveys/, staff only)."""

from django.urls import path

from .api import SurveyResultsView

urlpatterns = [
    path("<slug:code>/results/", SurveyResultsView.as_view(), name="survey-results"),
]
