"""Public URLs of défis."""

from django.urls import path

from . import views

app_name = "challenges"

urlpatterns = [
    path("", views.challenge_list_view, name="list"),
    path("<str:slug>/", views.challenge_detail_view, name="detail"),
]
