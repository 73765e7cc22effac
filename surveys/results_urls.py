"""Coordinator pages of questionnaires (staff only), mounted at /questionnaires/suivi/."""

from django.urls import path

from . import results_views as views

app_name = "survey_results"

urlpatterns = [
    path("", views.survey_index, name="index"),
    path("<slug:code>/", views.followup, name="followup"),
    path("<slug:code>/resultats/", views.results, name="results"),
    path(
        "<slug:code>/resultats/<slug:question_code>/textes/",
        views.text_answer_list,
        name="text_answers",
    ),
    path("<slug:code>/export.csv", views.export_csv, name="export_csv"),
    path("<slug:code>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<slug:code>/export-differe/", views.export_xlsx_later, name="export_later"),
    path("<slug:code>/exports/<str:token>/", views.export_download, name="export_download"),
    path("<slug:code>/importer/", views.import_responses_view, name="import"),
]
