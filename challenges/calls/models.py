"""Call for projects: calls with their criteria, agents' proposals (versions, attachments,
status history), jury assignments, reviews and scores.

App label ``challenges`` (tables unchanged); ``challenges.models`` re-exports every class.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eig_portal.common.deadlines import window_is_open
from eig_portal.common.limits import BoundedTextField
from eig_portal.common.models import StatusChange
from promotions.models import Administration, Promotion


class CallForProjects(models.Model):
    """An « appel à projets »: administrations propose défis for one promotion.

    ``opens_at`` / ``closes_at`` are aware datetimes (stored UTC, shown in Europe/Paris). A call
    accepts submissions and edits while ``opens_at <= now <= closes_at`` (to the second).
    """

    promotion = models.ForeignKey(
        Promotion,
        verbose_name=_("promotion"),
        on_delete=models.PROTECT,
        related_name="calls_for_projects",
    )
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=220, unique=True)
    description = BoundedTextField(_("description (markdown)"), blank=True)
    opens_at = models.DateTimeField(_("ouverture"))
    closes_at = models.DateTimeField(
        _("clôture"), help_text=_("Heure de Paris ; les dépôts sont refusés après cette seconde.")
    )
    is_published = models.BooleanField(_("publié"), default=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["-closes_at"]
        verbose_name = _("appel à projets")
        verbose_name_plural = _("appels à projets")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            )
        ]
        indexes = [models.Index(fields=["is_published", "closes_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("calls:detail", args=[self.slug])

    def is_open_at(self, moment) -> bool:
        """True if ``moment`` (aware datetime) is within [opens_at, closes_at]."""
        return window_is_open(opens_at=self.opens_at, closes_at=self.closes_at, at=moment)


class Criterion(models.Model):
    """One criterion of the jury's grid for a call, with its weight in the weighted mean."""

    call = models.ForeignKey(
        CallForProjects, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("appel")
    )
    label = models.CharField(_("intitulé"), max_length=200)
    description = BoundedTextField(_("description"), blank=True)
    weight = models.DecimalField(_("poids"), max_digits=5, decimal_places=2, default=1)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["call", "order", "pk"]
        verbose_name = _("critère")
        verbose_name_plural = _("critères")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.UniqueConstraint(fields=["call", "label"], name="criterion_unique_label"),
        ]

    def __str__(self):
        return f"{self.label} (×{self.weight})"


class AgentProfile(models.Model):
    """Ties a user account to one administration.

    ``is_confirmed`` is set by a coordinator once the membership is checked: an unconfirmed agent
    sees only the proposals they created; a confirmed agent shares all of its administration's
    proposals. ``requested_administration_name`` keeps what the agent typed when the
    administration was not in the list (an unconfirmed ``Administration`` is then created).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agent_profile",
        verbose_name=_("compte"),
    )
    administration = models.ForeignKey(
        Administration,
        verbose_name=_("administration"),
        on_delete=models.PROTECT,
        related_name="agents",
    )
    requested_administration_name = models.CharField(
        _("administration demandée"), max_length=255, blank=True
    )
    position = models.CharField(_("fonction"), max_length=200, blank=True)
    is_confirmed = models.BooleanField(_("rattachement confirmé"), default=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        ordering = ["administration", "user__email"]
        verbose_name = _("agent d'administration")
        verbose_name_plural = _("agents d'administration")

    def __str__(self):
        return f"{self.user.email} — {self.administration}"


class ChallengeProposal(models.Model):
    """One administration's proposal of a défi answering a call (« candidature de défi »).

    ``version`` is incremented by every save (optimistic locking: a save carries the version it
    was based on and fails if the row moved on). ``creation_token`` is the client token of the
    creation form, unique, so a repeated POST creates one proposal. ``challenge`` is the défi
    created on selection (one-to-one: created exactly once).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Déposée")
        UNDER_REVIEW = "under_review", _("En cours d'examen")
        CORRECTION_REQUESTED = "correction_requested", _("Correction demandée")
        SELECTED = "selected", _("Retenue")
        NOT_SELECTED = "not_selected", _("Non retenue")
        WITHDRAWN = "withdrawn", _("Retirée")

    call = models.ForeignKey(
        CallForProjects, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("appel")
    )
    administration = models.ForeignKey(
        Administration,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("administration"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="created_proposals",
        verbose_name=_("créée par"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("modifiée par"),
    )
    status = models.CharField(
        _("statut"), max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    creation_token = models.UUIDField(_("jeton de création"), null=True, blank=True, unique=True)
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    has_unsubmitted_changes = models.BooleanField(
        _("modifications non déposées"),
        default=False,
        help_text=_("Modifiée depuis le dernier dépôt : la dernière version déposée fait foi."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    # 1. The défi.
    title = models.CharField(_("titre du défi"), max_length=200, blank=True)
    summary = models.CharField(_("résumé en une phrase"), max_length=300, blank=True)
    context = BoundedTextField(_("contexte et problème"), blank=True)
    objectives = BoundedTextField(_("objectifs et impact attendu"), blank=True)
    beneficiaries = BoundedTextField(_("usagers et bénéficiaires"), blank=True)
    town = models.CharField(_("ville"), max_length=120, blank=True)

    # 2. Data and technical environment.
    available_data = BoundedTextField(_("données disponibles"), blank=True)
    systems = BoundedTextField(_("systèmes et outils existants"), blank=True)
    commits_equipment = models.BooleanField(
        _("matériel adapté (ordinateurs, droits admin)"), default=False
    )
    commits_internet_access = models.BooleanField(_("accès internet non filtré"), default=False)
    commits_servers = models.BooleanField(_("serveurs et hébergement"), default=False)
    commits_remote_work = models.BooleanField(_("télétravail"), default=False)
    commits_offsite_work = models.BooleanField(_("travail hors les murs"), default=False)
    environment_notes = BoundedTextField(_("précisions sur l'environnement"), blank=True)

    # 3. The team.
    mentor_name = models.CharField(_("nom du mentor opérationnel"), max_length=200, blank=True)
    mentor_position = models.CharField(
        _("fonction du mentor opérationnel"), max_length=200, blank=True
    )
    mentor_email = models.EmailField(_("courriel du mentor opérationnel"), blank=True)
    mentor_time_commitment = models.CharField(
        _("temps consacré par le mentor opérationnel"), max_length=200, blank=True
    )
    sponsor_name = models.CharField(_("nom du mentor de haut niveau"), max_length=200, blank=True)
    sponsor_position = models.CharField(
        _("fonction du mentor de haut niveau"), max_length=200, blank=True
    )
    sponsor_email = models.EmailField(_("courriel du mentor de haut niveau"), blank=True)
    sponsor_time_commitment = models.CharField(
        _("temps consacré par le mentor de haut niveau"), max_length=200, blank=True
    )

    # 4. Profiles wanted.
    developers_wanted = models.PositiveSmallIntegerField(_("développeur·ses"), default=0)
    designers_wanted = models.PositiveSmallIntegerField(_("designers"), default=0)
    data_scientists_wanted = models.PositiveSmallIntegerField(_("data scientists"), default=0)
    profiles_notes = BoundedTextField(_("précisions sur les profils"), blank=True)

    # 5. Funding.
    cofunding_share = models.DecimalField(
        _("part de cofinancement (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    funding_notes = BoundedTextField(_("précisions sur le financement"), blank=True)

    challenge = models.OneToOneField(
        "challenges.Challenge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
        verbose_name=_("défi créé"),
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("candidature de défi")
        verbose_name_plural = _("candidatures de défi")
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="proposal_version_positive"),
            models.CheckConstraint(
                condition=Q(cofunding_share__isnull=True)
                | (Q(cofunding_share__gte=0) & Q(cofunding_share__lte=100)),
                name="proposal_cofunding_share_0_100",
            ),
            models.CheckConstraint(
                condition=Q(developers_wanted__lte=10)
                & Q(designers_wanted__lte=10)
                & Q(data_scientists_wanted__lte=10),
                name="proposal_profiles_wanted_at_most_10",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"]) | Q(submitted_at__isnull=False),
                name="proposal_submitted_has_date",
            ),
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self):
        return self.title or _("Candidature sans titre n° %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("proposals:detail", args=[self.pk])

    @property
    def profiles_wanted_total(self) -> int:
        return self.developers_wanted + self.designers_wanted + self.data_scientists_wanted


def proposal_attachment_path(instance, filename):
    """Store under an unguessable name; the original name is kept in ``original_name``."""
    return f"proposals/{instance.proposal_id}/{uuid.uuid4().hex}.pdf"


class ProposalAttachment(models.Model):
    """A PDF attached to a proposal (checked by content, at most 10 MB), stored via storage."""

    proposal = models.ForeignKey(
        ChallengeProposal,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("candidature"),
    )
    file = models.FileField(_("fichier"), upload_to=proposal_attachment_path, max_length=300)
    original_name = models.CharField(_("nom d'origine"), max_length=255)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("par"),
    )
    uploaded_at = models.DateTimeField(_("déposée le"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "uploaded_at"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=10 * 1024 * 1024), name="attachment_at_most_10_mb"
            )
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("proposals:attachment", args=[self.proposal_id, self.pk])


class ProposalVersion(models.Model):
    """A snapshot of a proposal at one submission (every submitted version is kept)."""

    proposal = models.ForeignKey(
        ChallengeProposal,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("candidature"),
    )
    number = models.PositiveIntegerField(_("numéro"))
    submitted_at = models.DateTimeField(_("déposée le"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("par"),
    )
    snapshot = models.JSONField(_("contenu déposé"), default=dict)

    class Meta:
        ordering = ["proposal", "number"]
        verbose_name = _("version déposée")
        verbose_name_plural = _("versions déposées")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="proposal_version_unique")
        ]

    def __str__(self):
        return f"{self.proposal} — v{self.number}"


class ProposalStatusChange(StatusChange):
    """One change of a proposal's status: who, when, from, to, and the message."""

    proposal = models.ForeignKey(
        ChallengeProposal,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("candidature"),
    )
    from_status = models.CharField(
        _("ancien statut"), max_length=30, choices=ChallengeProposal.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("nouveau statut"), max_length=30, choices=ChallengeProposal.Status.choices
    )

    class Meta:
        ordering = ["proposal", "at", "pk"]
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")

    def __str__(self):
        origin = self.get_from_status_display() if self.from_status else _("création")
        return f"{self.proposal} : {origin} → {self.get_to_status_display()}"


#: A proposal can be given to the jury, and scored, in these statuses only.
REVIEWABLE_STATUSES = (
    ChallengeProposal.Status.SUBMITTED,
    ChallengeProposal.Status.UNDER_REVIEW,
)


class JuryAssignment(models.Model):
    """A jury member assigned to a proposal; a declared conflict of interest excludes them."""

    proposal = models.ForeignKey(
        ChallengeProposal,
        on_delete=models.CASCADE,
        related_name="jury_assignments",
        verbose_name=_("candidature"),
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jury_assignments",
        verbose_name=_("membre du jury"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigné par"),
    )
    assigned_at = models.DateTimeField(_("assigné le"), auto_now_add=True)
    conflict_of_interest = models.BooleanField(_("conflit d'intérêts"), default=False)
    conflict_declared_at = models.DateTimeField(_("conflit déclaré le"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "juror"]
        verbose_name = _("affectation au jury")
        verbose_name_plural = _("affectations au jury")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "juror"], name="jury_assignment_unique"),
            models.CheckConstraint(
                condition=Q(conflict_of_interest=False) | Q(conflict_declared_at__isnull=False),
                name="jury_conflict_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.juror} → {self.proposal}"


class Review(models.Model):
    """One jury member's review of one proposal; scores are hidden from others until submitted."""

    assignment = models.OneToOneField(
        JuryAssignment,
        on_delete=models.CASCADE,
        related_name="review",
        verbose_name=_("affectation"),
    )
    comment = BoundedTextField(_("avis général"), blank=True)
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    # Σ(score × weight) / Σ(weight) of its scores (1–5), kept by challenges.calls.review_scores.
    weighted_score = models.FloatField(_("note pondérée"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["assignment"]
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")

    def __str__(self):
        return str(self.assignment)


class ReviewScore(models.Model):
    """The score (1–5) given to one criterion in one review, with a comment."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("évaluation")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("critère")
    )
    score = models.PositiveSmallIntegerField(_("note (1 à 5)"))
    comment = BoundedTextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["review", "criterion__order"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="review_score_unique"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="review_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.criterion.label}: {self.score}"
