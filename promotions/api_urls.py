"""Open-data API URLs (mounted under /api/v1/, namespace ``api``)."""

from django.urls import path

from challenges.api import ChallengeListView

from .api import FiguresView, PromotionListView

urlpatterns = [
    path("figures/", FiguresView.as_view(), name="figures"),
    path("promotions/", PromotionListView.as_view(), name="promotions"),
    path("challenges/", ChallengeListView.as_view(), name="challenges"),
]
