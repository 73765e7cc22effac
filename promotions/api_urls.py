"""Open-data API URLs of promotions (mounted under /api/v1/, namespace ``api``)."""

from django.urls import path

from .api import FiguresView, PromotionListView

urlpatterns = [
    path("figures/", FiguresView.as_view(), name="figures"),
    path("promotions/", PromotionListView.as_view(), name="promotions"),
]
