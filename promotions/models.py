"""Promotions, administrations, EIG (``Fellow``), mentors, budget lines and declared figures.

Names follow the glossary of DESIGN.md: promotion → ``Promotion``, administration →
``Administration``, EIG → ``Fellow``, mentor → ``Mentor``.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from eig_portal.common.limits import BoundedTextField
from eig_portal.common.models import choice_label


class Promotion(models.Model):
    """One yearly cohort of EIG (« EIG 1 » … « EIG 7 », or the parallel cohort « DIG »).

    ``rank`` orders promotions in time (EIG 1 = 1, EIG 2 = 2, EIG 3 and DIG = 3, …); it decides
    which administrations are « new » in a promotion.
    """

    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("« EIG 3 », « DIG »")
    )
    slug = models.SlugField(_("identifiant d'URL"), max_length=30, unique=True)
    number = models.PositiveSmallIntegerField(_("numéro"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rang chronologique"), default=0)
    year = models.PositiveSmallIntegerField(_("année"))
    title = models.CharField(_("titre"), max_length=200, blank=True)
    theme = models.CharField(_("thème"), max_length=200, blank=True)
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["rank", "year", "code"]
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="promotion_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gt=models.F("start_date")),
                name="promotion_end_after_start",
            ),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        """The promotion's public page, ``promotions:detail`` by ``slug``."""
        return reverse("promotions:detail", args=[self.slug])


class Administration(models.Model):
    """A public body hosting défis; may belong to a parent (usually a ministry)."""

    name = models.CharField(_("nom"), max_length=255, unique=True)
    acronym = models.CharField(_("sigle"), max_length=50, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("administration de rattachement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    website = models.URLField(_("site web"), blank=True)
    town = models.CharField(_("ville"), max_length=120, blank=True)
    is_confirmed = models.BooleanField(
        _("confirmée par la coordination"),
        default=True,
        help_text=_("Une administration demandée par un agent reste à confirmer."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("administration")
        verbose_name_plural = _("administrations")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Fellow(models.Model):
    """An EIG (entrepreneur d'intérêt général) of one promotion.

    A person who took part in two promotions has one record per promotion (same
    ``source_key``), as the programme's site counts them in both.
    """

    class Profile(models.TextChoices):
        """An EIG's profile; designers, developers and data scientists give the shares."""

        DEVELOPER = "developer", _("Développeur·se")
        DESIGNER = "designer", _("Designer")
        DATA_SCIENTIST = "data_scientist", _("Data scientist")
        OTHER = "other", _("Autre")

    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("courriel"), blank=True)
    profile = models.CharField(_("profil"), max_length=20, choices=Profile.choices)
    job_title = models.CharField(_("intitulé du poste"), max_length=120, blank=True)
    promotion = models.ForeignKey(
        Promotion, verbose_name=_("promotion"), on_delete=models.PROTECT, related_name="fellows"
    )
    source_key = models.CharField(
        _("clé d'import"),
        max_length=100,
        blank=True,
        help_text=_("Pseudonyme des données publiques"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["promotion", "name"]
        verbose_name = _("EIG")
        verbose_name_plural = _("EIG")
        # The admin list's order (name, then id): one page read from the index, not a sort of
        # every EIG.
        indexes = [models.Index(fields=["name", "id"], name="fellow_name_id")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key", "promotion"],
                condition=~Q(source_key=""),
                name="fellow_unique_source_key_per_promotion",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.promotion})"


class Mentor(models.Model):
    """An agent following a défi: operational mentor (day to day) or high-level sponsor."""

    class Role(models.TextChoices):
        """Operational mentor (day to day) or high-level sponsor."""

        OPERATIONAL = "operational", _("Mentor opérationnel")
        SPONSOR = "sponsor", _("Mentor de haut niveau")

    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("courriel"), blank=True)
    role = models.CharField(
        _("rôle"), max_length=20, choices=Role.choices, default=Role.OPERATIONAL
    )
    job_title = models.CharField(_("fonction"), max_length=200, blank=True)
    administration = models.ForeignKey(
        Administration,
        verbose_name=_("administration"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentors",
    )
    promotion = models.ForeignKey(
        Promotion,
        verbose_name=_("promotion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentors",
    )
    source_key = models.CharField(_("clé d'import"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        # Lists by name (then id, the admin's tie-break) read one page from the index.
        indexes = [models.Index(fields=["name", "id"], name="mentor_name_id")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""), name="mentor_unique_source_key"
            )
        ]

    def __str__(self):
        return self.name


class BudgetLine(models.Model):
    """One budget amount of a promotion, in euros (``Decimal``, two places).

    Categories are the rows of the 2019 report's table « Le programme EIG en chiffres ». The PIA
    envelope is the funding ceiling; the promotion's cost is the sum of the other categories.
    """

    class Category(models.TextChoices):
        """Budget rows of the 2019 report's table; all but ``PIA_ENVELOPE`` are costs."""

        PIA_ENVELOPE = "pia_envelope", _("Enveloppe PIA")
        SALARIES = "salaries", _("Salaires des EIG")
        COMMUNICATION = "communication", _("Communication")
        SUPPORT_PROGRAMME = "support_programme", _("Programme d'accompagnement")
        RESEARCH_LINKS = "research_links", _("Liens avec la recherche")

    COST_CATEGORIES = (
        Category.SALARIES,
        Category.COMMUNICATION,
        Category.SUPPORT_PROGRAMME,
        Category.RESEARCH_LINKS,
    )

    promotion = models.ForeignKey(
        Promotion,
        verbose_name=_("promotion"),
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    category = models.CharField(_("catégorie"), max_length=30, choices=Category.choices)
    label = models.CharField(_("libellé"), max_length=200, blank=True)
    amount = models.DecimalField(_("montant (€)"), max_digits=14, decimal_places=2)
    is_forecast = models.BooleanField(_("prévisionnel"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["promotion", "category", "label"]
        verbose_name = _("ligne budgétaire")
        verbose_name_plural = _("lignes budgétaires")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_positive"),
            models.UniqueConstraint(
                fields=["promotion", "category", "label"], name="budget_line_unique"
            ),
        ]

    def __str__(self):
        return f"{self.promotion} — {choice_label(self.Category, self.category)} : {self.amount} €"


class DeclaredFigure(models.Model):
    """A figure the programme published for a promotion (e.g. the 2019 report), with its source.

    Past promotions may only have such declared totals (candidates, proposals received) or may
    declare a count that differs from the records (EIG 2: 28 EIG declared, 26 on record).
    """

    class Metric(models.TextChoices):
        """What a declared figure counts; profile counts give the declared shares."""

        FELLOWS = "fellows", _("EIG")
        MENTORS = "mentors", _("Mentors")
        CHALLENGES = "challenges", _("Défis")
        NEW_HOST_ORGANISATIONS = "new_host_organisations", _("Nouvelles administrations")
        CANDIDATES = "candidates", _("Candidats")
        CHALLENGES_PROPOSED = "challenges_proposed", _("Défis proposés")
        DEVELOPERS = "developers", _("EIG développeurs")
        DESIGNERS = "designers", _("EIG designers")
        DATA_SCIENTISTS = "data_scientists", _("EIG data scientists")
        CANDIDATES_INTERVIEWED = "candidates_interviewed", _("Candidats reçus par le jury")

    promotion = models.ForeignKey(
        Promotion,
        verbose_name=_("promotion"),
        on_delete=models.CASCADE,
        related_name="declared_figures",
    )
    metric = models.CharField(_("indicateur"), max_length=40, choices=Metric.choices)
    value = models.PositiveIntegerField(_("valeur"))
    source = models.CharField(_("source"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["promotion", "metric"]
        verbose_name = _("chiffre déclaré")
        verbose_name_plural = _("chiffres déclarés")
        constraints = [
            models.UniqueConstraint(fields=["promotion", "metric"], name="declared_figure_unique")
        ]

    def __str__(self):
        return f"{self.promotion} — {choice_label(self.Metric, self.metric)} : {self.value}"


class PrintedTotal(models.Model):
    """A total printed by a publication over several promotions, kept to compare with the true sum.

    Example: the 2019 report prints 85 défis proposed for EIG 1–3 while its rows add up to 94.
    ``value`` is a ``Decimal`` (counts or euros).
    """

    source = models.CharField(_("source"), max_length=300)
    metric = models.CharField(_("indicateur"), max_length=40)
    value = models.DecimalField(_("valeur imprimée"), max_digits=14, decimal_places=2)
    promotions = models.ManyToManyField(Promotion, verbose_name=_("promotions couvertes"))
    note = BoundedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["source", "metric"]
        verbose_name = _("total publié")
        verbose_name_plural = _("totaux publiés")
        constraints = [
            models.UniqueConstraint(fields=["source", "metric"], name="printed_total_unique")
        ]

    def __str__(self):
        return f"{self.source} — {self.metric} : {self.value}"


class ImportedValue(models.Model):
    """The value ``import_eig_data`` last wrote into one field of one row (any model).

    The import updates a field only while it still holds this value: a field edited on the
    portal since (a coordinator's correction) is kept and reported, never overwritten.
    ``value`` is JSON: text and numbers as is, decimals and dates as text, relations by id.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(_("champ"), max_length=100)
    value = models.JSONField(_("valeur importée"), null=True)
    imported_at = models.DateTimeField(_("importée le"), auto_now=True)

    class Meta:
        verbose_name = _("valeur importée")
        verbose_name_plural = _("valeurs importées")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field"], name="imported_value_unique"
            )
        ]

    def __str__(self):
        return f"{self.content_type_id}/{self.object_id}.{self.field}"


# The support programme and the alumni live in their own modules; Django finds their models here.
from .alumni.models import AlumniProfile, AlumniSituation  # noqa: E402, F401
from .events.models import CalendarFeed, Event, EventInvitation  # noqa: E402, F401
