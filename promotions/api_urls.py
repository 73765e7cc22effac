"""Open-data API URLs of promotions (mounted under /api/v1/, namespace ``api``); ``figures/`` is
mounted by the root URLs, which compose the figures of every app."""

from django.urls import path

from .api import PromotionListView

urlpatterns = [
    path("promotions/", PromotionListView.as_view(), name="promotions"),
]
