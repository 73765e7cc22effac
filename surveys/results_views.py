"""Coordinator pages of questionnaires (staff only): follow-up, results, exports, import."""

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from eig_portal.common.cells import csv_separator_from_request
from promotions.models import Promotion

from .export_files import TOKEN_RE, export_path
from .export_jobs import export_xlsx_request
from .exports import csv_streaming_response, xlsx_file_response
from .import_summary import import_summary_text
from .models import Question, Response, Role, Survey
from .responses_import import BASE_COLUMNS, ImportFileError, responses_import
from .results import response_rates, survey_results, text_answers

TEXT_PAGE_SIZE = 50


class ResultsFilterForm(forms.Form):
    """The role and promotion filters of the results page (GET)."""

    role = forms.ChoiceField(
        label=gettext_lazy("Rôle"),
        required=False,
        choices=[("", gettext_lazy("Tous les rôles")), *Role.choices],
    )
    promotion = forms.ModelChoiceField(
        label=gettext_lazy("Promotion"),
        required=False,
        queryset=Promotion.objects.none(),
        empty_label=gettext_lazy("Toutes les promotions"),
        to_field_name="slug",
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promotion"].queryset = (
            Promotion.objects.filter(Q(surveys=survey) | Q(survey_responses__survey=survey))
            .distinct()
            .order_by("rank", "year", "code")
        )

    def cleaned_or_empty(self) -> tuple[str | None, Promotion | None]:
        if not self.is_valid():
            return None, None
        return self.cleaned_data.get("role") or None, self.cleaned_data.get("promotion")


class ImportResponsesForm(forms.Form):
    """Upload of a CSV of past answers."""

    file = forms.FileField(
        label=gettext_lazy("Fichier CSV"),
        help_text=gettext_lazy(
            "UTF-8 (avec ou sans BOM), séparateur virgule ou point-virgule. Colonnes : "
            "respondent, role (fellow ou mentor), promotion (p. ex. EIG 2), puis une colonne par "
            "code de question."
        ),
    )


@staff_member_required
@require_GET
def survey_index(request):
    """List of questionnaires with their invitation and submission counts."""
    surveys = Survey.objects.annotate(
        n_invited=Count("invitations", distinct=True),
        n_submitted=Count(
            "responses", filter=Q(responses__status=Response.Status.SUBMITTED), distinct=True
        ),
    ).order_by("-created_at", "code")
    return render(request, "surveys/results/survey_index.html", {"surveys": surveys})


@staff_member_required
@require_GET
def followup(request, code):
    """Response rates of a questionnaire by role and promotion."""
    survey = get_object_or_404(Survey, code=code)
    rates = response_rates(survey=survey)
    groups = [*rates.by_role, *rates.by_promotion]
    chart_items = [{"label": r.label, "percent": r.rate, "count": r.submitted} for r in groups]
    return render(
        request,
        "surveys/results/followup.html",
        {
            "survey": survey,
            "rates": rates,
            "chart_items": chart_items,
            "table_rows": [rates.overall, *groups, *rates.cells],
        },
    )


@staff_member_required
@require_GET
def results(request, code):
    """Results per question, filtered by role and promotion, with charts and tables."""
    survey = get_object_or_404(Survey, code=code)
    form = ResultsFilterForm(request.GET or None, survey=survey)
    role, promotion = form.cleaned_or_empty()
    data = survey_results(
        survey=survey, role=role, promotion_id=promotion.pk if promotion else None
    )
    return render(
        request,
        "surveys/results/results.html",
        {
            "survey": survey,
            "form": form,
            "results": data,
            "role": role,
            "promotion": promotion,
            "query": request.GET.urlencode(),
        },
    )


@staff_member_required
@require_GET
def text_answer_list(request, code, question_code):
    """Paginated free-text answers of one question (no identifier shown)."""
    survey = get_object_or_404(Survey, code=code)
    question = get_object_or_404(
        Question,
        survey=survey,
        code=question_code,
        type__in=[Question.Type.SHORT_TEXT, Question.Type.LONG_TEXT],
    )
    form = ResultsFilterForm(request.GET or None, survey=survey)
    role, promotion = form.cleaned_or_empty()
    answers = text_answers(
        survey=survey,
        question=question,
        role=role,
        promotion_id=promotion.pk if promotion else None,
    )
    page = Paginator(answers, TEXT_PAGE_SIZE).get_page(request.GET.get("page"))
    roles = dict(Role.choices)  # « EIG » / « Mentor », not the stored « fellow »
    page.object_list = [{**a, "role": roles.get(a["role"], a["role"])} for a in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "surveys/results/text_answers.html",
        {"survey": survey, "question": question, "page": page, "query": query.urlencode()},
    )


@staff_member_required
@require_GET
def export_csv(request, code):
    """All submitted responses as a streamed CSV (one row per response)."""
    survey = get_object_or_404(Survey, code=code)
    return csv_streaming_response(survey, sep=csv_separator_from_request(request))


@staff_member_required
@require_GET
def export_xlsx(request, code):
    """All submitted responses as an XLSX workbook (one row per response)."""
    survey = get_object_or_404(Survey, code=code)
    return xlsx_file_response(survey)


@staff_member_required
@require_http_methods(["POST"])
def export_xlsx_later(request, code):
    """Queue the XLSX export as a Celery task; the coordinator gets the link by email."""
    survey = get_object_or_404(Survey, code=code)
    token = export_xlsx_request(survey=survey, user=request.user)
    messages.info(
        request,
        _("L'export Excel est en préparation ; le lien vous sera envoyé par courriel."),
    )
    return redirect("survey_results:export_download", code=survey.code, token=token)


@staff_member_required
@require_GET
def export_download(request, code, token):
    """Download a prepared XLSX export, or say it is still being prepared."""
    survey = get_object_or_404(Survey, code=code)
    if not TOKEN_RE.match(token):
        raise Http404
    name = export_path(survey=survey, token=token)
    if default_storage.exists(name):
        return FileResponse(
            default_storage.open(name, "rb"),
            as_attachment=True,
            filename=f"{survey.code}-reponses.xlsx",
        )
    return render(request, "surveys/results/export_pending.html", {"survey": survey})


@staff_member_required
@require_http_methods(["GET", "POST"])
def import_responses_view(request, code):
    """Upload a CSV of past answers; an invalid file writes nothing and lists every error."""
    survey = get_object_or_404(Survey, code=code)
    errors = []
    form = ImportResponsesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            summary = responses_import(survey=survey, data=form.cleaned_data["file"].read())
        except ImportFileError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                import_summary_text(summary),
            )
            return redirect("survey_results:results", code=survey.code)
    question_codes = list(
        Question.objects.filter(survey=survey)
        .order_by("section__order", "order", "pk")
        .values_list("code", flat=True)
    )
    return render(
        request,
        "surveys/results/import_responses.html",
        {
            "survey": survey,
            "form": form,
            "errors": errors,
            "columns": [*BASE_COLUMNS, *question_codes],
        },
        status=400 if errors else 200,
    )
