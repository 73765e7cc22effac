"""Public URLs of calls for projects (« appels à projets »)."""

from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("", views.call_list_view, name="list"),
    path("<slug:slug>/", views.call_detail_view, name="detail"),
    path("<slug:slug>/candidater/", views.proposal_create_view, name="propose"),
]
