"""Admin of the défis catalogue: défis, themes, expertises, key figures (import/export, history)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from challenges.models import Challenge, Expertise, KeyFigure, Theme
from eig_portal.common.admin import (
    PortalHistoryAdmin,
    PortalImportExportAdmin,
    PortalResource,
    StrictManyToManyWidget,
)
from eig_portal.common.admin_lists import AutocompleteListFilter
from eig_portal.common.subqueries import count_of, count_related
from promotions.admin import FellowAdmin as PromotionsFellowAdmin
from promotions.admin import MentorAdmin as PromotionsMentorAdmin
from promotions.admin import administration_field, promotion_field
from promotions.models import Fellow, Mentor


class ThemeResource(PortalResource):
    class Meta:
        model = Theme
        import_id_fields = ["name"]
        fields = ("name", "slug")
        skip_unchanged = True
        report_skipped = True


class ExpertiseResource(PortalResource):
    class Meta:
        model = Expertise
        import_id_fields = ["name"]
        fields = ("name", "slug")
        skip_unchanged = True
        report_skipped = True


class ChallengeResource(PortalResource):
    promotion = promotion_field()
    administration = administration_field()
    themes = fields.Field(
        attribute="themes",
        column_name="themes",
        widget=StrictManyToManyWidget(Theme, field="name", separator="|"),
    )
    expertises = fields.Field(
        attribute="expertises",
        column_name="expertises",
        widget=StrictManyToManyWidget(Expertise, field="name", separator="|"),
    )

    class Meta:
        model = Challenge
        import_id_fields = ["slug"]
        fields = (
            "slug",
            "title",
            "promotion",
            "administration",
            "town",
            "summary",
            "description",
            "themes",
            "expertises",
            "website",
            "source_code_url",
            "startup_url",
            "is_public",
            "production_status",
            "is_maintained",
            "open_datasets",
            "annex_tools",
        )
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("promotion", "administration")
            .prefetch_related("themes", "expertises")
        )


class KeyFigureResource(PortalResource):
    challenge = fields.Field(
        attribute="challenge",
        column_name="challenge",
        widget=widgets.ForeignKeyWidget(Challenge, field="slug"),
    )

    class Meta:
        model = KeyFigure
        fields = ("id", "challenge", "order", "amount", "description")
        skip_unchanged = True
        report_skipped = True


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    extra = 0
    fields = ("order", "amount", "description")


class ChallengeFellowInline(admin.TabularInline):
    """The défi's EIG (links of ``Challenge.fellows``)."""

    model = Challenge.fellows.through
    extra = 0
    autocomplete_fields = ["fellow"]
    verbose_name = _("EIG")
    verbose_name_plural = _("EIG du défi")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("fellow__promotion")


class ChallengeMentorInline(admin.TabularInline):
    """The défi's mentors (links of ``Challenge.mentors``)."""

    model = Challenge.mentors.through
    extra = 0
    autocomplete_fields = ["mentor"]
    verbose_name = _("mentor")
    verbose_name_plural = _("mentors du défi")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mentor")


@admin.register(Theme)
class ThemeAdmin(PortalImportExportAdmin):
    resource_classes = [ThemeResource]
    list_display = ("name", "slug", "n_challenges")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_challenges=count_related(self.model, "challenges"))
        )

    @admin.display(description=_("défis"), ordering="n_challenges")
    def n_challenges(self, obj):
        return obj.n_challenges


@admin.register(Expertise)
class ExpertiseAdmin(ThemeAdmin):
    resource_classes = [ExpertiseResource]


@admin.register(Challenge)
class ChallengeAdmin(PortalHistoryAdmin):
    resource_classes = [ChallengeResource]
    list_display = (
        "title",
        "promotion",
        "administration",
        "production_status",
        "is_maintained",
        "is_public",
        "n_fellows",
        "n_mentors",
    )
    # The administration (thousands of entries at scale) is chosen in a search box.
    list_filter = (
        "promotion",
        ("administration", AutocompleteListFilter),
        "production_status",
        "is_maintained",
        "is_public",
        "themes",
    )
    # By title, read from the index (title, id): the model's order (promotion rank) joins and
    # sorts every défi for one page. The promotion filter groups them by promotion.
    ordering = ("title", "pk")
    search_fields = (
        "title",
        "summary",
        "slug",
        "administration__name",
        "administration__acronym",
    )
    list_select_related = ("promotion", "administration")
    autocomplete_fields = ("administration",)
    filter_horizontal = ("themes", "expertises")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("source_key", "created_at", "updated_at")
    inlines = [ChallengeFellowInline, ChallengeMentorInline, KeyFigureInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "promotion", "administration", "town", "is_public")}),
        (_("Contenu"), {"fields": ("summary", "description", "themes", "expertises")}),
        (_("Liens"), {"fields": ("website", "source_code_url", "startup_url")}),
        (
            _("Réalisation"),
            {"fields": ("production_status", "is_maintained", "open_datasets", "annex_tools")},
        ),
        (_("Suivi"), {"fields": ("published_at", "source_key", "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                # Correlated subqueries: counted for the rows shown, no join of the whole table.
                n_fellows=count_of(Challenge.fellows.through.objects.all(), "challenge"),
                n_mentors=count_of(Challenge.mentors.through.objects.all(), "challenge"),
            )
        )

    @admin.display(description=_("EIG"), ordering="n_fellows")
    def n_fellows(self, obj):
        return obj.n_fellows

    @admin.display(description=_("mentors"), ordering="n_mentors")
    def n_mentors(self, obj):
        return obj.n_mentors


# The défis of an EIG or a mentor are edited from their admin page. The promotions admin (a lower
# layer) knows nothing of défis, so the catalogue registers the EIG and mentor admins with these
# inlines: the promotions admin classes extended here, once, by the layer that owns défis.
class FellowChallengeInline(admin.TabularInline):
    """The défis of an EIG (links of ``Challenge.fellows``)."""

    model = Challenge.fellows.through
    extra = 0
    autocomplete_fields = ["challenge"]
    verbose_name = _("défi")
    verbose_name_plural = _("défis")


class MentorChallengeInline(admin.TabularInline):
    """The défis of a mentor (links of ``Challenge.mentors``)."""

    model = Challenge.mentors.through
    extra = 0
    autocomplete_fields = ["challenge"]
    verbose_name = _("défi")
    verbose_name_plural = _("défis")


admin.site.unregister(Fellow)
admin.site.unregister(Mentor)


@admin.register(Fellow)
class FellowAdmin(PromotionsFellowAdmin):
    """The promotions' EIG admin with the EIG's défis inline."""

    inlines = [*PromotionsFellowAdmin.inlines, FellowChallengeInline]


@admin.register(Mentor)
class MentorAdmin(PromotionsMentorAdmin):
    """The promotions' mentor admin with the mentor's défis inline."""

    inlines = [*PromotionsMentorAdmin.inlines, MentorChallengeInline]
