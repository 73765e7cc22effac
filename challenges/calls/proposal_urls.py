"""URLs of proposals (« candidatures de défi »), for the agents of their administration."""

from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list_view, name="list"),
    path("apres-connexion/", views.after_login_view, name="after_login"),
    path("<int:pk>/", views.proposal_detail_view, name="detail"),
    path("<int:pk>/etape/<slug:step>/", views.proposal_edit_view, name="edit"),
    path("<int:pk>/depot/", views.proposal_submit_view, name="submit"),
    path("<int:pk>/retrait/", views.proposal_withdraw_view, name="withdraw"),
    path(
        "<int:pk>/pieces-jointes/<int:attachment_pk>/",
        views.attachment_download_view,
        name="attachment",
    ),
    path(
        "<int:pk>/pieces-jointes/<int:attachment_pk>/suppression/",
        views.attachment_delete_view,
        name="attachment_delete",
    ),
]
