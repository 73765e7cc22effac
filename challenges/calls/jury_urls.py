"""URLs of the jury pages (``/defis/jury/``), namespace ``jury``."""

from django.urls import path

from . import jury_views

app_name = "jury"

urlpatterns = [
    path("", jury_views.assignment_list_view, name="list"),
    path("<int:pk>/", jury_views.review_view, name="review"),
    path("<int:pk>/soumission/", jury_views.review_confirm_view, name="review_confirm"),
    path("<int:pk>/conflit/", jury_views.conflict_view, name="conflict"),
    path(
        "<int:pk>/pieces-jointes/<int:attachment_pk>/",
        jury_views.attachment_view,
        name="attachment",
    ),
]
