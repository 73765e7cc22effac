"""URLs of the support programme (namespace ``events``), mounted at ``/accompagnement/``."""

from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("invitation/<str:token>/", views.invitation_answer_view, name="answer"),
    path("invitation/<str:token>/evenement.ics", views.invitation_ics_view, name="invitation_ics"),
    path("agenda/<str:token>/", views.calendar_view, name="calendar"),
    path("agenda/<str:token>/agenda.ics", views.calendar_feed_view, name="calendar_feed"),
    path("evenements/", views.event_list_view, name="list"),
    path("evenements/<int:pk>/appel/", views.roll_call_view, name="roll_call"),
]
