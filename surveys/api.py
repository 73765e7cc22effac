"""Results of a questionnaire as data: ``GET /api/v1/surveys/<code>/results/`` (staff only)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from eig_portal.common.access import IsCoordinator
from promotions.models import Promotion

from .models import Role, Survey
from .results import results_as_data, survey_results


class ChoiceShareSerializer(serializers.Serializer):
    """One choice's count and its share of the group's answerers (0–1, 4 places)."""

    count = serializers.IntegerField(help_text="Respondents who picked this choice.")
    share = serializers.FloatField(
        allow_null=True, help_text="count / answered, 0–1 (4 places); null when nobody answered."
    )


class GroupResultSerializer(serializers.Serializer):
    """A question's result within one group: answerers, per-choice shares, mean/min/max."""

    answered = serializers.IntegerField(help_text="Respondents of the group who answered.")
    choices = serializers.DictField(
        child=ChoiceShareSerializer(),
        help_text="Per choice code (yes/no: `yes`, `no`; scale: the values `1`…`5`).",
    )
    mean = serializers.FloatField(allow_null=True, help_text="Scale and number questions.")
    min = serializers.FloatField(allow_null=True, help_text="Number questions.")
    max = serializers.FloatField(allow_null=True, help_text="Number questions.")


class QuestionResultSerializer(serializers.Serializer):
    """One question's result overall, by role and by promotion code."""

    type = serializers.ChoiceField(
        choices=["single", "multiple", "scale", "yesno", "number", "short_text", "long_text"]
    )
    text = serializers.CharField()
    multiple_answers = serializers.BooleanField(
        help_text="Multiple choice: shares may add up to more than 1."
    )
    overall = GroupResultSerializer()
    by_role = serializers.DictField(child=GroupResultSerializer(), help_text="fellow, mentor")
    by_promotion = serializers.DictField(
        child=GroupResultSerializer(), help_text="Per promotion code (« EIG 2 »)."
    )


class RespondentsSerializer(serializers.Serializer):
    """Submitted responses overall, by role and by promotion code."""

    overall = serializers.IntegerField()
    by_role = serializers.DictField(child=serializers.IntegerField())
    by_promotion = serializers.DictField(child=serializers.IntegerField())


class FiltersSerializer(serializers.Serializer):
    """The ``role`` and ``promotion`` (code) filters applied, null when absent."""

    role = serializers.CharField(allow_null=True)
    promotion = serializers.CharField(allow_null=True)


class SurveyResultsSerializer(serializers.Serializer):
    """Schema of the results document built by ``results_as_data`` (documentation only)."""

    survey = serializers.CharField(help_text="Survey code.")
    title = serializers.CharField()
    anonymous = serializers.BooleanField()
    filters = FiltersSerializer()
    respondents = RespondentsSerializer(help_text="Submitted responses.")
    questions = serializers.DictField(
        child=QuestionResultSerializer(), help_text="Per question code."
    )


class SurveyResultsView(APIView):
    """Results of one questionnaire per question code, overall, by role and by promotion."""

    permission_classes = [IsCoordinator]
    required_permission = "surveys.view_response"
    pagination_class = None

    @extend_schema(
        operation_id="survey_results",
        summary="Results of a questionnaire (staff only)",
        parameters=[
            OpenApiParameter("role", OpenApiTypes.STR, enum=list(Role.values)),
            OpenApiParameter("promotion", OpenApiTypes.STR, description="Promotion code"),
        ],
        responses=SurveyResultsSerializer,
    )
    def get(self, request, code):
        """Results of survey ``code``; 404 if the survey is unknown, 400 for a bad role or promotion."""
        survey = get_object_or_404(Survey, code=code)
        role = request.query_params.get("role") or None
        if role and role not in Role.values:
            raise serializers.ValidationError({"role": f"fellow or mentor, not « {role} »"})
        promotion_id = None
        if request.query_params.get("promotion"):
            code_asked = request.query_params["promotion"]
            promotion = (
                Promotion.objects.filter(code=code_asked).first()
                if "\x00" not in code_asked
                else None
            )
            if promotion is None:  # a 400 naming it, like /api/v1/figures/?promotion=
                raise serializers.ValidationError(
                    {"promotion": f"unknown promotion code « {code_asked[:100]} »"}
                )
            promotion_id = promotion.pk
        results = survey_results(
            survey=survey, role=role, promotion_id=promotion_id, text_sample_size=0
        )
        return ApiResponse(results_as_data(results))
