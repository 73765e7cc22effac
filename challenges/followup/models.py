"""Each défi's follow-up: progress updates, expertise requests and outcomes.

- ``ProgressCadence``: how often the défis of a promotion post a progress update (days).
- ``FollowUpLink``: a team member's personal link to post updates (no account needed).
- ``ProgressUpdate``: one update (progress, next steps, blockers, help wanted).
- ``ExpertiseRequest``: a request for help from the programme's experts, to closure.
- ``Outcome``: what a défi produced at a date (« réalisation »), one row per (défi, ``as_of``),
  never overwritten; the latest by ``as_of`` is the défi's current outcome.
- ``OutcomeRequest``: a mentor's link to file the outcome at the end of the ten months or six
  months later.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from eig_portal.common.limits import BoundedTextField
from eig_portal.common.models import choice_label
from promotions.persons import exactly_one_person, person_fields, token_fields


class ProgressCadence(models.Model):
    """How often each défi of a promotion posts a progress update, set by the coordinators."""

    promotion = models.OneToOneField(
        "promotions.Promotion",
        verbose_name=_("promotion"),
        on_delete=models.CASCADE,
        related_name="progress_cadence",
    )
    every_days = models.PositiveSmallIntegerField(
        _("fréquence (jours)"), default=14, help_text=_("Un point d'étape tous les N jours.")
    )

    class Meta:
        verbose_name = _("fréquence des points d'étape")
        verbose_name_plural = _("fréquences des points d'étape")
        constraints = [
            models.CheckConstraint(
                condition=Q(every_days__gte=1) & Q(every_days__lte=92),
                name="progress_cadence_1_to_92_days",
            )
        ]

    def __str__(self):
        return f"{self.promotion} : {self.every_days} j"


class FollowUpLink(models.Model):
    """A défi team member's personal link to post progress updates."""

    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("défi"),
        on_delete=models.CASCADE,
        related_name="followup_links",
    )
    fellow, mentor = person_fields("followup_links")
    email = models.EmailField(_("courriel"))
    token_seed, token_hash = token_fields()
    weekly_digest = models.BooleanField(
        _("reçoit la lettre hebdomadaire"), default=True, help_text=_("Désinscription possible.")
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        ordering = ["challenge", "email"]
        verbose_name = _("lien de suivi")
        verbose_name_plural = _("liens de suivi")
        constraints = [
            exactly_one_person("followup_link_one_person"),
            models.UniqueConstraint(
                fields=["challenge", "fellow"],
                condition=Q(fellow__isnull=False),
                name="followup_link_unique_fellow",
            ),
            models.UniqueConstraint(
                fields=["challenge", "mentor"],
                condition=Q(mentor__isnull=False),
                name="followup_link_unique_mentor",
            ),
        ]

    def __str__(self):
        return f"{self.challenge} → {self.email}"


class ProgressUpdate(models.Model):
    """One progress update of a défi (« point d'étape »); ``is_blocked`` flags it to coordinators."""

    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("défi"),
        on_delete=models.CASCADE,
        related_name="progress_updates",
    )
    author = models.ForeignKey(
        FollowUpLink,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="updates",
    )
    posted_at = models.DateTimeField(_("publié le"))
    progress = BoundedTextField(_("avancement"))
    next_steps = BoundedTextField(_("prochaines étapes"), blank=True)
    blockers = BoundedTextField(_("points de blocage"), blank=True)
    help_wanted = BoundedTextField(_("aide souhaitée"), blank=True)
    is_blocked = models.BooleanField(_("défi bloqué"), default=False)

    class Meta:
        ordering = ["-posted_at"]
        verbose_name = _("point d'étape")
        verbose_name_plural = _("points d'étape")
        indexes = [
            models.Index(fields=["challenge", "-posted_at"], name="progress_challenge_posted"),
            models.Index(fields=["posted_at"], name="progress_posted"),
        ]

    def __str__(self):
        return f"{self.challenge} — {self.posted_at:%Y-%m-%d}"


class ExpertiseRequest(models.Model):
    """A request for help from the programme's experts, followed to closure.

    ``status``: new → assigned (an expert is named) → closed (``closed_at`` set). History kept.
    """

    class Topic(models.TextChoices):
        """The expertises the 2019 report lists (Etalab's experts)."""

        DATA_SCIENCE = "data_science", _("Science des données")
        GEOMATICS = "geomatics", _("Géomatique")
        API = "api", _("API")
        LEGAL = "legal", _("Juridique : logiciel libre, données ouvertes")
        DESIGN = "design", _("Design")
        OTHER = "other", _("Autre")

    class Status(models.TextChoices):
        """Where the request stands."""

        NEW = "new", _("Nouvelle")
        ASSIGNED = "assigned", _("Attribuée")
        CLOSED = "closed", _("Close")

    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("défi"),
        on_delete=models.CASCADE,
        related_name="expertise_requests",
    )
    fellow, mentor = person_fields("expertise_requests")
    topic = models.CharField(_("sujet"), max_length=20, choices=Topic.choices)
    description = BoundedTextField(_("demande"))
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expertise_requests",
    )
    resolution = BoundedTextField(_("réponse apportée"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande d'expertise")
        verbose_name_plural = _("demandes d'expertise")
        constraints = [
            exactly_one_person("expertise_request_one_person"),
            models.CheckConstraint(
                condition=Q(status="new") | Q(expert__isnull=False),
                name="expertise_request_assigned_has_expert",
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(closed_at__isnull=False))
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="expertise_request_closed_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.challenge} — {choice_label(self.Topic, self.topic)}"


class Outcome(models.Model):
    """What a défi produced at ``as_of`` (« réalisation »); kept as history, one per date.

    ``users`` is a count of users (``None`` = unknown). ``datasets`` and ``reused_by`` are lists of
    strings (dataset URLs; « administration : what it reuses »).
    """

    class ProductionStatus(models.TextChoices):
        """Production status, in the 2019 report's categories (plus « arrêté »)."""

        IN_PRODUCTION = "in_production", _("En production")
        PLANNED = "planned", _("En développement, mise en production prévue")
        NOT_PLANNED = "not_planned", _("En développement, sans mise en production prévue")
        STOPPED = "stopped", _("Arrêté")

    class Maintenance(models.TextChoices):
        """Who maintains the product."""

        UNKNOWN = "", _("Non renseigné")
        FELLOWS_AS_CONTRACTORS = "contractors", _("Les EIG, comme prestataires ou contractuels")
        INTEGRATED_IT = "integrated_it", _("Intégré au service informatique de l'administration")
        OTHER = "other", _("Autre")

    class Source(models.TextChoices):
        """Where the record comes from."""

        MENTOR = "mentor", _("Mentor")
        COORDINATOR = "coordinator", _("Coordination")
        IMPORT = "import", _("Import")

    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("défi"),
        on_delete=models.CASCADE,
        related_name="outcomes",
    )
    as_of = models.DateField(_("à la date du"))
    production_status = models.CharField(
        _("état de production"), max_length=20, choices=ProductionStatus.choices
    )
    is_maintained = models.BooleanField(_("maintenu"), null=True, blank=True)
    maintenance = models.CharField(
        _("maintenu par"), max_length=20, choices=Maintenance.choices, blank=True
    )
    maintenance_detail = models.CharField(_("précision"), max_length=300, blank=True)
    users = models.PositiveIntegerField(_("nombre d'utilisateurs"), null=True, blank=True)
    source_code_url = models.URLField(_("code source"), max_length=500, blank=True)
    datasets = models.JSONField(_("jeux de données ouverts"), default=list, blank=True)
    reused_by = models.JSONField(_("réutilisations"), default=list, blank=True)
    partnerships = BoundedTextField(_("partenariats"), blank=True)
    source = models.CharField(
        _("origine"), max_length=12, choices=Source.choices, default=Source.COORDINATOR
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["challenge", "-as_of"]
        verbose_name = _("réalisation")
        verbose_name_plural = _("réalisations")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "as_of"], name="outcome_one_per_date"),
            models.CheckConstraint(
                condition=Q(is_maintained=True) | Q(maintenance=""),
                name="outcome_maintainer_only_if_maintained",
            ),
        ]
        indexes = [models.Index(fields=["challenge", "-as_of"], name="outcome_challenge_asof")]

    def __str__(self):
        return f"{self.challenge} — {self.as_of}"


class OutcomeRequest(models.Model):
    """A mentor's personal link to file a défi's outcome at a milestone."""

    class Milestone(models.TextChoices):
        """When the outcome is asked: the end of the ten months, or six months later."""

        END = "end", _("Fin des dix mois")
        SIX_MONTHS = "six_months", _("Six mois après")

    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("défi"),
        on_delete=models.CASCADE,
        related_name="outcome_requests",
    )
    mentor = models.ForeignKey(
        "promotions.Mentor",
        verbose_name=_("mentor"),
        on_delete=models.CASCADE,
        related_name="outcome_requests",
    )
    milestone = models.CharField(_("échéance"), max_length=12, choices=Milestone.choices)
    due_on = models.DateField(_("date de la réalisation"))
    token_seed, token_hash = token_fields()
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    outcome = models.ForeignKey(
        Outcome,
        verbose_name=_("réalisation déposée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )

    class Meta:
        ordering = ["challenge", "due_on"]
        verbose_name = _("demande de réalisation")
        verbose_name_plural = _("demandes de réalisation")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "mentor", "milestone"], name="outcome_request_unique"
            )
        ]

    def __str__(self):
        return f"{self.challenge} — {choice_label(self.Milestone, self.milestone)} → {self.mentor}"
