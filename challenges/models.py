"""Défis (``Challenge``), their themes, expertises and key figures, with outcome fields.

The models of the call for projects live in ``challenges.calls.models`` (same app label
``challenges``, same tables) and are re-exported here so ``challenges.models`` names them all.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from eig_portal.common.limits import BoundedTextField
from eig_portal.common.models import NotificationLog  # noqa: F401 (the outbox, named here too)
from promotions.models import Administration, Fellow, Mentor, Promotion

from .calls.models import (  # noqa: F401 (re-exported: migrations and callers name them here)
    AgentProfile,
    CallForProjects,
    ChallengeProposal,
    Criterion,
    JuryAssignment,
    ProposalAttachment,
    ProposalStatusChange,
    ProposalVersion,
    Review,
    ReviewScore,
    proposal_attachment_path,
)


class Theme(models.Model):
    """A public-policy theme of défis (« Santé », « Justice » …)."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("identifiant d'URL"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")

    def __str__(self):
        return self.name


class Expertise(models.Model):
    """A kind of expertise a défi needs (« Design », « Data science » …)."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("identifiant d'URL"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("expertise")
        verbose_name_plural = _("expertises")

    def __str__(self):
        return self.name


class Challenge(models.Model):
    """A défi: a 10-month project of one administration, in one promotion.

    ``description`` is markdown, rendered sanitised (see ``eig_portal.common.markdown``).
    Outcome fields (« réalisation ») follow the 2019 report's categories.
    """

    class ProductionStatus(models.TextChoices):
        IN_PRODUCTION = "in_production", _("En production")
        PLANNED = "planned", _("En développement, mise en production prévue")
        NOT_PLANNED = "not_planned", _("En développement, pas de mise en production prévue")
        UNKNOWN = "", _("Non renseigné")

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=220, unique=True, allow_unicode=True)
    summary = BoundedTextField(_("résumé"), blank=True)
    description = BoundedTextField(_("description (markdown)"), blank=True)
    promotion = models.ForeignKey(
        Promotion,
        verbose_name=_("promotion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    administration = models.ForeignKey(
        Administration,
        verbose_name=_("administration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    town = models.CharField(_("ville"), max_length=120, blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thèmes"), blank=True, related_name="challenges"
    )
    expertises = models.ManyToManyField(
        Expertise, verbose_name=_("expertises"), blank=True, related_name="challenges"
    )
    fellows = models.ManyToManyField(
        Fellow, verbose_name=_("EIG"), blank=True, related_name="challenges"
    )
    mentors = models.ManyToManyField(
        Mentor, verbose_name=_("mentors"), blank=True, related_name="challenges"
    )
    website = models.URLField(_("site web"), max_length=500, blank=True)
    source_code_url = models.URLField(_("code source"), max_length=500, blank=True)
    startup_url = models.URLField(_("fiche startup d'État"), max_length=500, blank=True)
    is_public = models.BooleanField(_("publié"), default=True)
    # Outcome (« réalisation »).
    production_status = models.CharField(
        _("état de production"), max_length=20, choices=ProductionStatus.choices, blank=True
    )
    is_maintained = models.BooleanField(_("maintenu"), null=True, blank=True)
    open_datasets = BoundedTextField(_("jeux de données ouverts"), blank=True)
    annex_tools = BoundedTextField(_("outils annexes"), blank=True)
    published_at = models.DateTimeField(_("date de publication"), null=True, blank=True)
    source_key = models.CharField(_("clé d'import"), max_length=220, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[fellows, mentors])

    class Meta:
        ordering = ["promotion__rank", "title"]
        verbose_name = _("défi")
        verbose_name_plural = _("défis")
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~Q(source_key=""),
                name="challenge_unique_source_key",
            )
        ]
        indexes = [
            models.Index(fields=["is_public", "promotion"]),
            # The admin list's order (title, then id): one page read from the index, not a
            # sort of every défi joined to its promotion.
            models.Index(fields=["title", "id"], name="challenge_title_id"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("challenges:detail", args=[self.slug])


class KeyFigure(models.Model):
    """A key figure published for a défi (« 1 288 déclarations d'intérêts analysées »)."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="key_figures", verbose_name=_("défi")
    )
    amount = models.DecimalField(_("valeur"), max_digits=16, decimal_places=2)
    description = models.CharField(_("description"), max_length=300)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["challenge", "order"]
        verbose_name = _("chiffre clé")
        verbose_name_plural = _("chiffres clés")

    def __str__(self):
        return f"{self.amount} {self.description}"


# ---------------------------------------------------------------------------------------------
# Call for projects: calls, criteria, proposals, attachments, versions, history, agents
# and the jury. Workflows live in ``challenges.calls.services``; models only hold data and constraints.
# ---------------------------------------------------------------------------------------------


# The call for candidates lives in its own sub-package; its models belong to this app.
# Each défi's follow-up lives in its own sub-package; Django finds its models here.
from .followup.models import (  # noqa: E402, F401
    ExpertiseRequest,
    FollowUpLink,
    Outcome,
    OutcomeRequest,
    ProgressCadence,
    ProgressUpdate,
)
from .recruitment.models import (  # noqa: E402, F401
    Application,
    ApplicationChoice,
    ApplicationCriterion,
    ApplicationReview,
    ApplicationReviewScore,
    ApplicationStatusChange,
    ApplicationVersion,
    CallForApplications,
    CandidateAccount,
    ChallengeOpening,
    Interview,
    InterviewSlot,
    JuryConflict,
    JuryMember,
    Placement,
)
