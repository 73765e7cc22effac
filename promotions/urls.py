"""Public and staff URLs of the promotions app."""

from django.urls import path

from . import views

app_name = "promotions"

urlpatterns = [
    path("", views.promotion_list_view, name="list"),
    path("chiffres/", views.dashboard_view, name="dashboard"),
    path("donnees-ouvertes/", views.open_data_view, name="open_data"),
    path("<slug:slug>/", views.promotion_detail_view, name="detail"),
]
