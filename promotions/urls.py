"""Public and staff URLs of the promotions app. The promotion's page (``promotions:detail``,
``<slug>/``, after these) lists its défis: ``eig_portal.urls`` mounts it in this namespace."""

from django.urls import path

from . import views

app_name = "promotions"

urlpatterns = [
    path("", views.promotion_list_view, name="list"),
    path("chiffres/", views.dashboard_view, name="dashboard"),
    path("donnees-ouvertes/", views.open_data_view, name="open_data"),
]
