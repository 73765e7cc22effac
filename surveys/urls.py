"""Public URLs of the surveys app: answering pages behind a personal link (``r/<token>/``)."""

from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("r/<str:token>/", views.start, name="start"),
    path("r/<str:token>/section/<int:number>/", views.section, name="section"),
    path("r/<str:token>/enregistre/", views.saved, name="saved"),
    path("r/<str:token>/relecture/", views.review, name="review"),
    path("r/<str:token>/reponse/", views.done, name="done"),
    path("r/<str:token>/desinscription/", views.unsubscribe, name="unsubscribe"),
]
