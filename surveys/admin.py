"""Admin of the surveys app: build questionnaires, create and follow invitations.

Nested inlines are not native to Django: a survey edits its sections inline and links to its
questions; a question edits its choices inline. Admin actions call the services.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from eig_portal.common.admin_lists import PortalListMixin
from eig_portal.common.jobs import delayed_message, delivery_tracking
from eig_portal.common.subqueries import count_of

from . import services
from .conditions import ON_QUESTION, ConditionTarget, condition_value
from .models import Answer, Choice, Invitation, Question, Response, Section, Survey


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ("order", "title", "description", "questions_link")
    readonly_fields = ("questions_link",)

    @admin.display(description=_("questions"))
    def questions_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:surveys_question_changelist") + f"?section__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Voir les questions"))


@admin.register(Survey)
class SurveyAdmin(PortalListMixin, admin.ModelAdmin):
    list_display = (
        "code",
        "title",
        "audience_fellows",
        "audience_mentors",
        "is_anonymous",
        "opens_at",
        "closes_at",
        "n_invitations",
        "n_submitted",
    )
    list_filter = ("is_anonymous", "audience_fellows", "audience_mentors", "promotions")
    search_fields = ("code", "title")
    filter_horizontal = ("promotions",)
    inlines = [SectionInline]
    readonly_fields = ("created_at", "updated_at", "links")
    fieldsets = (
        (None, {"fields": ("code", "title", "description", "is_anonymous", "links")}),
        (_("Public"), {"fields": ("audience_fellows", "audience_mentors", "promotions")}),
        (
            _("Calendrier et relances"),
            {
                "fields": (
                    "opens_at",
                    "closes_at",
                    "first_reminder_after_days",
                    "second_reminder_after_days",
                )
            },
        ),
        (_("Historique"), {"fields": ("created_at", "updated_at")}),
    )
    actions = ["duplicate_for_next_promotion", "create_invitations", "send_invitations"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                # Correlated subqueries: no join of invitations × responses of every survey.
                _n_invitations=count_of(Invitation.objects.all(), "survey"),
                _n_submitted=count_of(
                    Response.objects.filter(status=Response.Status.SUBMITTED), "survey"
                ),
            )
        )

    @admin.display(description=_("invitations"), ordering="_n_invitations")
    def n_invitations(self, obj):
        return obj._n_invitations

    @admin.display(description=_("réponses envoyées"), ordering="_n_submitted")
    def n_submitted(self, obj):
        return obj._n_submitted

    @admin.display(description=_("liens"))
    def links(self, obj):
        if not obj.pk:
            return "—"
        questions = reverse("admin:surveys_question_changelist") + f"?survey__id__exact={obj.pk}"
        invitations = (
            reverse("admin:surveys_invitation_changelist") + f"?survey__id__exact={obj.pk}"
        )
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>'
            ' · <a href="{}">{}</a>',
            questions,
            _("Questions"),
            invitations,
            _("Invitations"),
            reverse("survey_results:followup", args=[obj.code]),
            _("Suivi des réponses"),
            reverse("survey_results:results", args=[obj.code]),
            _("Résultats"),
            reverse("survey_results:import", args=[obj.code]),
            _("Importer des réponses (CSV)"),
        )

    @admin.action(description=_("Dupliquer pour la promotion suivante"))
    def duplicate_for_next_promotion(self, request, queryset):
        from promotions.models import Promotion

        for survey in queryset:
            ranks = [p.rank for p in survey.promotions.all()]
            following = (
                Promotion.objects.filter(rank__gt=max(ranks)).order_by("rank", "code").first()
                if ranks
                else None
            )
            suffix = following.slug if following else "copie"
            code, n = f"{survey.code}-{suffix}"[:80], 2
            while Survey.objects.filter(code=code).exists():
                code, n = f"{survey.code}-{suffix}-{n}"[:80], n + 1
            title = f"{survey.title} — {following}" if following else f"{survey.title} (copie)"
            try:
                copy = services.survey_duplicate(
                    survey=survey,
                    code=code,
                    title=title[:255],
                    promotions=[following] if following else None,
                )
            except ValidationError as exc:
                self.message_user(
                    request, f"{survey.code} : {' '.join(exc.messages)}", messages.ERROR
                )
                continue
            self.message_user(
                request,
                _("« %(src)s » dupliqué en « %(dst)s ».") % {"src": survey.code, "dst": copy.code},
                messages.SUCCESS,
            )

    @admin.action(description=_("Créer les invitations (EIG et mentors des promotions choisies)"))
    def create_invitations(self, request, queryset):
        for survey in queryset:
            created = services.invitations_create(survey=survey)
            self.message_user(
                request,
                ngettext(
                    "%(code)s : %(n)d invitation créée.",
                    "%(code)s : %(n)d invitations créées.",
                    len(created),
                )
                % {"code": survey.code, "n": len(created)},
            )
            # Say who was left out: a promotion without addresses gave « 0 invitation » and no why.
            without_email = _audience_without_email(survey)
            if without_email:
                self.message_user(
                    request,
                    ngettext(
                        "%(code)s : %(n)d personne sans adresse électronique n'a pas été invitée "
                        "(complétez sa fiche EIG ou mentor, puis relancez l'action).",
                        "%(code)s : %(n)d personnes sans adresse électronique n'ont pas été "
                        "invitées (complétez leurs fiches EIG ou mentor, puis relancez l'action).",
                        without_email,
                    )
                    % {"code": survey.code, "n": without_email},
                    messages.WARNING,
                )

    @admin.action(description=_("Envoyer les invitations pas encore envoyées"))
    def send_invitations(self, request, queryset):
        with delivery_tracking() as delayed:
            counts = [
                (survey, services.invitations_queue_sending(survey=survey)) for survey in queryset
            ]
        for survey, n in counts:
            self.message_user(
                request,
                ngettext(
                    "%(code)s : %(n)d courriel en cours d'envoi.",
                    "%(code)s : %(n)d courriels en cours d'envoi.",
                    n,
                )
                % {"code": survey.code, "n": n},
            )
        if delayed:
            self.message_user(request, delayed_message(len(delayed)), messages.WARNING)


def _audience_without_email(survey) -> int:
    """Fellows/mentors of the survey's audience and promotions who have no email."""
    from promotions.models import Fellow, Mentor

    promotions = survey.promotions.all()
    n = 0
    if survey.audience_fellows:
        n += Fellow.objects.filter(promotion__in=promotions, email="").count()
    if survey.audience_mentors:
        n += Mentor.objects.filter(promotion__in=promotions, email="").count()
    return n


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ("order", "code", "label")


class SectionChoiceField(forms.ModelChoiceField):
    """Sections named « survey code — title »: titles repeat from one questionnaire to the next."""

    def label_from_instance(self, obj):
        return f"{obj.survey.code} — {obj.title}"


class QuestionAdminForm(forms.ModelForm):
    """Checks what the database cannot say clearly: a code unique in the questionnaire (the
    survey follows the section, so Django's unique check does not see it: it was a 500) and a
    display condition that can be met (same questionnaire, a value the earlier question can
    take: a condition on « Autre » instead of the code « other » hid the question for ever)."""

    class Meta:
        model = Question
        fields = ("section", "code", "show_if_question", "show_if_value")  # + the fieldsets

    def clean(self):
        data = super().clean()
        self._check_code_unique(data.get("section"), data.get("code"))
        self._check_condition(data)
        return data

    def _check_code_unique(self, section, code) -> None:
        if not (section and code):
            return
        taken = Question.objects.filter(survey_id=section.survey_id, code=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            self.add_error(
                "code",
                _("Le code « %(code)s » est déjà pris dans le questionnaire « %(survey)s ».")
                % {"code": code, "survey": section.survey.code},
            )

    def _check_condition(self, data) -> None:
        """The condition names a question of the same questionnaire (not this one) and a value
        it can take: the rule of :func:`surveys.conditions.condition_value`."""
        section = data.get("section")
        target, value = data.get("show_if_question"), (data.get("show_if_value") or "").strip()
        if not target:
            if value:
                self.add_error(
                    "show_if_question", _("Choisissez la question dont dépend l'affichage.")
                )
            return
        if section and target.survey_id != section.survey_id:
            self.add_error(
                "show_if_question",
                _("La question « %(code)s » appartient à un autre questionnaire.")
                % {"code": target.code},
            )
        elif self.instance.pk and target.pk == self.instance.pk:
            self.add_error("show_if_question", _("Une question ne peut pas dépendre d'elle-même."))
        else:
            try:
                data["show_if_value"] = condition_value(
                    target=ConditionTarget.of_question(target), value=value
                )
            except ValidationError as exc:
                field = "show_if_question" if exc.code == ON_QUESTION else "show_if_value"
                self.add_error(field, exc.messages[0])


class SectionOfSurveyFilter(admin.RelatedFieldListFilter):
    """The sections of one questionnaire: the one chosen in the « questionnaire » filter, or
    the chosen section's. None before a questionnaire is chosen: section titles repeat from
    one questionnaire to the next (« Section 1 » of every survey) and their list would grow
    with every questionnaire. Keeps Django's parameter (``section__id__exact``)."""

    def field_choices(self, field, request, model_admin):
        """``[(section id, title)]`` of the questionnaire in the list's parameters, in order."""
        survey_id = _int_param(request, "survey__id__exact")
        section_id = _int_param(request, self.lookup_kwarg)
        if survey_id is None and section_id is None:
            return []
        sections = Section.objects.order_by("order", "pk")
        if survey_id is not None:
            sections = sections.filter(survey_id=survey_id)
        else:
            sections = sections.filter(survey__sections=section_id)
        return [(pk, title) for pk, title in sections.values_list("pk", "title")]


def _int_param(request, name: str) -> int | None:
    """The list parameter ``name`` as an integer, None when absent or not a number."""
    value = request.GET.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


@admin.register(Question)
class QuestionAdmin(PortalListMixin, admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = (
        "code",
        "short_text",
        "survey",
        "section",
        "type",
        "required",
        "order",
        "pinned",
    )
    list_display_links = ("code", "short_text")
    list_filter = ("survey", ("section", SectionOfSurveyFilter), "type", "required", "pinned")
    list_select_related = ("survey", "section")
    search_fields = ("code", "text", "survey__code")
    ordering = ("survey", "section__order", "order")
    autocomplete_fields = ("show_if_question",)
    inlines = [ChoiceInline]
    fieldsets = (
        (None, {"fields": ("section", "order", "code", "text", "help_text", "type", "required")}),
        (_("Échelle"), {"fields": ("scale_min", "scale_max", "min_label", "max_label")}),
        (_("Nombre"), {"fields": ("number_min", "number_max", "unit")}),
        (_("Condition d'affichage"), {"fields": ("show_if_question", "show_if_value")}),
        (_("Le programme en chiffres"), {"fields": ("pinned", "pinned_choice")}),
    )

    @admin.display(description=_("question"))
    def short_text(self, obj):
        return obj.text[:80]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            kwargs["form_class"] = SectionChoiceField
            kwargs["queryset"] = Section.objects.select_related("survey").order_by(
                "survey__code", "order", "pk"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The survey always follows the section (kept denormalised for the unique code).
        obj.survey = obj.section.survey
        super().save_model(request, obj, form, change)


class ResponseStatusFilter(admin.SimpleListFilter):
    title = _("réponse")
    parameter_name = "answer"

    def lookups(self, request, model_admin):
        return [
            ("none", _("Pas commencée")),
            ("in_progress", _("En cours")),
            ("submitted", _("Envoyée")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(response__isnull=True)
        if self.value() in ("in_progress", "submitted"):
            return queryset.filter(response__status=self.value())
        return queryset


@admin.register(Invitation)
class InvitationAdmin(PortalListMixin, admin.ModelAdmin):
    """Who was invited and who has submitted (also for anonymous surveys: answers are elsewhere)."""

    list_display = (
        "email",
        "survey",
        "role",
        "promotion",
        "sent_at",
        "opened_at",
        "response_status",
        "reminders_sent",
        "unsubscribed_from_reminders",
        "invalidated_at",
    )
    list_filter = (
        "survey",
        "role",
        "promotion",
        ResponseStatusFilter,
        "unsubscribed_from_reminders",
        ("invalidated_at", admin.EmptyFieldListFilter),
        ("sent_at", admin.EmptyFieldListFilter),
    )
    list_select_related = ("survey", "promotion", "response")
    search_fields = ("email", "fellow__name", "mentor__name")
    readonly_fields = (
        "survey",
        "role",
        "fellow",
        "mentor",
        "promotion",
        "email",
        "created_at",
        "sent_at",
        "opened_at",
        "reminders_sent",
        "last_reminder_at",
        "unsubscribed_from_reminders",
        "invalidated_at",
    )
    exclude = ("token_seed", "token_hash")
    actions = ["resend", "invalidate"]

    def has_add_permission(self, request):
        return False  # invitations come from the survey's action « Créer les invitations »

    @admin.display(description=_("réponse"))
    def response_status(self, obj):
        response = getattr(obj, "response", None)
        return response.get_status_display() if response else "—"

    @admin.action(description=_("Renvoyer le lien personnel"))
    def resend(self, request, queryset):
        n = 0
        for invitation in queryset.filter(invalidated_at__isnull=True):
            services.invitation_resend(invitation=invitation)
            n += 1
        self.message_user(
            request,
            ngettext("%(n)d courriel en cours d'envoi.", "%(n)d courriels en cours d'envoi.", n)
            % {"n": n},
        )

    @admin.action(description=_("Invalider le lien (404 ensuite ; les réponses sont gardées)"))
    def invalidate(self, request, queryset):
        n = 0
        for invitation in queryset:
            services.invitation_invalidate(invitation=invitation)
            n += 1
        self.message_user(
            request,
            ngettext("%(n)d lien invalidé.", "%(n)d liens invalidés.", n) % {"n": n},
            messages.WARNING,
        )


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ("question", "choice", "number", "boolean", "text")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(PortalListMixin, admin.ModelAdmin):
    """Responses, read only; never shows the person for an anonymous survey."""

    list_display = ("public_id", "survey", "role", "promotion", "source", "status", "submitted_at")
    list_filter = ("survey", "role", "promotion", "status", "source")
    # Newest first, read from the primary key's index: the model's order (by survey, through
    # the surveys' own order) would sort every response of every survey for one page.
    ordering = ("-pk",)
    list_select_related = ("survey", "promotion")
    inlines = [AnswerInline]

    def get_fields(self, request, obj=None):
        fields = ["public_id", "survey", "role", "promotion", "source", "status", "submitted_at"]
        if obj is not None and not obj.survey.is_anonymous:
            fields[2:2] = ["invitation", "respondent"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
