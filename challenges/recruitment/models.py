"""The call for candidates (« appel à candidatures »): calls, openings, applications, jury,
interviews and placements.

Models hold data and constraints only; workflows live in ``challenges.recruitment.services``
(pipeline), ``decisions`` (Fellow creation), ``interviews``, ``jury`` and ``matching``.
The app label is ``challenges``: these models are imported by ``challenges.models``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eig_portal.common.deadlines import window_is_open
from eig_portal.common.limits import BoundedTextField
from eig_portal.common.models import StatusChange
from promotions.models import Fellow, Mentor, Promotion


class CandidateProfile(models.TextChoices):
    """The three EIG profiles a candidate applies as (values shared with ``Fellow.Profile``)."""

    DEVELOPER = Fellow.Profile.DEVELOPER.value, _("Développeur·se")
    DESIGNER = Fellow.Profile.DESIGNER.value, _("Designer")
    DATA_SCIENTIST = Fellow.Profile.DATA_SCIENTIST.value, _("Data scientist")


class CallForApplications(models.Model):
    """The « appel à candidatures » of one promotion: people apply to become its EIG.

    ``opens_at`` / ``closes_at`` are aware datetimes (stored UTC, shown in Europe/Paris); the
    call accepts submissions and edits while ``opens_at <= now <= closes_at`` (to the second).
    ``description`` is markdown (salary, dates, place common to every défi).
    """

    promotion = models.OneToOneField(
        Promotion,
        verbose_name=_("promotion"),
        on_delete=models.PROTECT,
        related_name="call_for_applications",
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
        verbose_name = _("appel à candidatures")
        verbose_name_plural = _("appels à candidatures")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="application_call_closes_after_opening",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("recruitment:call", args=[self.slug])

    def is_open_at(self, moment) -> bool:
        """True if ``moment`` (aware datetime) is within [opens_at, closes_at]: the portal's one
        deadline rule (``eig_portal.common.deadlines.window_is_open``)."""
        return window_is_open(opens_at=self.opens_at, closes_at=self.closes_at, at=moment)


class ApplicationCriterion(models.Model):
    """One weighted criterion of the call's jury grid (scores 1–5)."""

    call = models.ForeignKey(
        CallForApplications,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("appel"),
    )
    label = models.CharField(_("intitulé"), max_length=200)
    description = BoundedTextField(_("description"), blank=True)
    weight = models.DecimalField(_("poids"), max_digits=5, decimal_places=2, default=1)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["call", "order", "pk"]
        verbose_name = _("critère de recrutement")
        verbose_name_plural = _("critères de recrutement")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="application_criterion_weight_positive"
            ),
            models.UniqueConstraint(
                fields=["call", "label"], name="application_criterion_unique_label"
            ),
        ]

    def __str__(self):
        return f"{self.label} (×{self.weight})"


#: Places sought in all by an opening (SQL expression of the check constraint).
PLACES_TOTAL = F("developers") + F("designers") + F("data_scientists")


class ChallengeOpening(models.Model):
    """A défi open to candidates in a call, with the places sought per profile (1–3 in all).

    ``conditions`` is markdown: salary, dates, place of work.
    """

    call = models.ForeignKey(
        CallForApplications,
        on_delete=models.CASCADE,
        related_name="openings",
        verbose_name=_("appel"),
    )
    challenge = models.OneToOneField(
        "challenges.Challenge",
        on_delete=models.PROTECT,
        related_name="opening",
        verbose_name=_("défi"),
    )
    developers = models.PositiveSmallIntegerField(_("places de développeur·se"), default=0)
    designers = models.PositiveSmallIntegerField(_("places de designer"), default=0)
    data_scientists = models.PositiveSmallIntegerField(_("places de data scientist"), default=0)
    conditions = BoundedTextField(_("conditions (markdown)"), blank=True)
    is_open = models.BooleanField(_("ouvert aux candidatures"), default=True)

    class Meta:
        ordering = ["call", "challenge__title"]
        verbose_name = _("défi ouvert aux candidatures")
        verbose_name_plural = _("défis ouverts aux candidatures")
        constraints = [
            models.CheckConstraint(
                condition=Q(GreaterThanOrEqual(PLACES_TOTAL, 1), LessThanOrEqual(PLACES_TOTAL, 3)),
                name="opening_places_1_to_3",
            )
        ]

    def __str__(self):
        return str(self.challenge)

    def places(self, profile: str) -> int:
        """Places sought for ``profile`` (a ``CandidateProfile`` value); 0 for another value."""
        return {
            CandidateProfile.DEVELOPER: self.developers,
            CandidateProfile.DESIGNER: self.designers,
            CandidateProfile.DATA_SCIENTIST: self.data_scientists,
        }.get(profile, 0)

    @property
    def places_total(self) -> int:
        return self.developers + self.designers + self.data_scientists


class CandidateAccount(models.Model):
    """Marks a user account as a candidate's: a role distinct from agents and jurors."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="candidate_account",
        verbose_name=_("compte"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("compte candidat")
        verbose_name_plural = _("comptes candidats")

    def __str__(self):
        return str(self.user)


def application_cv_path(instance, filename):
    """Store under an unguessable name; the original name is kept in ``cv_name``."""
    return f"applications/{uuid.uuid4().hex}.pdf"


class Application(models.Model):
    """One person's application to a call (« candidature »), up to 3 défis ranked.

    ``candidate`` is null for applications imported from past campaigns (``email`` identifies
    them); one application per candidate and per (call, email ignoring case). ``interviewed`` is
    set when a jury interview is held (or imported): it feeds the programme's figures and
    survives the erasure of personal data (``erased_at``).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Déposée")
        NOT_PRESELECTED = "not_preselected", _("Non présélectionnée")
        PRESELECTED = "preselected", _("Présélectionnée")
        INTERVIEW = "interview", _("Entretien")
        SELECTED = "selected", _("Retenue")
        WAITING_LIST = "waiting_list", _("Liste d'attente")
        NOT_SELECTED = "not_selected", _("Non retenue")
        WITHDRAWN = "withdrawn", _("Retirée")

    call = models.ForeignKey(
        CallForApplications,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("appel"),
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        verbose_name=_("candidat"),
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    creation_token = models.UUIDField(_("jeton de création"), null=True, blank=True, unique=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    # Identity and profile.
    email = models.EmailField(_("courriel"), blank=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    profile = models.CharField(
        _("profil"), max_length=20, choices=CandidateProfile.choices, blank=True
    )
    # Documents and links.
    cv = models.FileField(_("CV (PDF)"), upload_to=application_cv_path, blank=True, max_length=300)
    cv_name = models.CharField(_("nom du CV"), max_length=255, blank=True)
    portfolio_url = models.URLField(_("portfolio"), max_length=500, blank=True)
    forge_url = models.URLField(_("forge de code"), max_length=500, blank=True)
    profile_url = models.URLField(_("page de profil"), max_length=500, blank=True)
    available_from = models.DateField(_("disponible à partir du"), null=True, blank=True)
    heard_from = models.CharField(_("connu le programme par"), max_length=200, blank=True)
    notice_acknowledged_at = models.DateTimeField(
        _("notice de données personnelles lue le"), null=True, blank=True
    )

    # Outcome.
    interviewed = models.BooleanField(_("reçu·e en entretien"), default=False)
    selected_challenge = models.ForeignKey(
        "challenges.Challenge",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="selected_applications",
        verbose_name=_("défi retenu"),
    )
    fellow = models.OneToOneField(
        Fellow,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
        verbose_name=_("EIG créé"),
    )
    erased_at = models.DateTimeField(_("données effacées le"), null=True, blank=True)

    class Meta:
        ordering = ["call", "last_name", "first_name", "pk"]
        verbose_name = _("candidature EIG")
        verbose_name_plural = _("candidatures EIG")
        constraints = [
            models.UniqueConstraint(
                "call",
                Lower("email"),
                condition=~Q(email=""),
                name="application_unique_email_per_call",
            ),
            models.UniqueConstraint(
                fields=["call", "candidate"],
                condition=Q(candidate__isnull=False),
                name="application_unique_candidate_per_call",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="application_submitted_has_date",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="application_version_pos"),
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self):
        name = f"{self.first_name} {self.last_name}".strip()
        return name or _("Candidature n° %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("recruitment:application", args=[self.pk])


class ApplicationChoice(models.Model):
    """One défi chosen by an application, with its preference ``rank`` (1 = first) and the
    candidate's motivation for that défi (at most 3,000 characters)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="choices", verbose_name=_("candidature")
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.PROTECT,
        related_name="application_choices",
        verbose_name=_("défi"),
    )
    rank = models.PositiveSmallIntegerField(_("rang de préférence"))
    motivation = BoundedTextField(_("motivation"), max_length=3000, blank=True)

    class Meta:
        ordering = ["application", "rank"]
        verbose_name = _("choix de défi")
        verbose_name_plural = _("choix de défi")
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="choice_unique_rank"),
            models.UniqueConstraint(
                fields=["application", "challenge"], name="choice_unique_challenge"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(rank__lte=3), name="choice_rank_1_3"
            ),
        ]
        indexes = [models.Index(fields=["challenge", "application"])]

    def __str__(self):
        return f"{self.application} — {self.rank}. {self.challenge}"


class ApplicationVersion(models.Model):
    """A snapshot of an application at one submission (every submitted version is kept)."""

    application = models.ForeignKey(
        Application,
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
        ordering = ["application", "number"]
        verbose_name = _("version de candidature")
        verbose_name_plural = _("versions de candidature")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="application_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.application} — v{self.number}"


class ApplicationStatusChange(StatusChange):
    """One change of an application's status: who, when, from, to and the message.

    ``message`` is meant for the candidate, who sees it with the status (never the scores).
    """

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("candidature"),
    )
    from_status = models.CharField(
        _("ancien statut"), max_length=20, choices=Application.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("nouveau statut"), max_length=20, choices=Application.Status.choices
    )

    class Meta:
        ordering = ["application", "at", "pk"]
        verbose_name = _("changement de statut de candidature")
        verbose_name_plural = _("changements de statut de candidature")

    def __str__(self):
        return f"{self.application}: {self.from_status} → {self.to_status}"


class JuryMember(models.Model):
    """A member of one défi's recruitment jury: a mentor, a coordinator or an outside member."""

    class Kind(models.TextChoices):
        MENTOR = "mentor", _("Mentor du défi")
        COORDINATOR = "coordinator", _("Coordinateur·rice")
        OUTSIDE = "outside", _("Membre extérieur")

    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.CASCADE,
        related_name="recruitment_jury",
        verbose_name=_("défi"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recruitment_juries",
        verbose_name=_("compte"),
    )
    kind = models.CharField(_("qualité"), max_length=20, choices=Kind.choices)
    mentor = models.ForeignKey(
        Mentor,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recruitment_juries",
        verbose_name=_("mentor"),
    )
    added_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    class Meta:
        ordering = ["challenge", "user"]
        verbose_name = _("membre de jury de recrutement")
        verbose_name_plural = _("membres de jury de recrutement")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="jury_member_unique")
        ]

    def __str__(self):
        return f"{self.user} → {self.challenge}"


class JuryConflict(models.Model):
    """A jury member's declared conflict of interest with one application: excluded from it."""

    member = models.ForeignKey(
        JuryMember, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("membre")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="jury_conflicts",
        verbose_name=_("candidature"),
    )
    declared_at = models.DateTimeField(_("déclaré le"))

    class Meta:
        verbose_name = _("conflit d'intérêts")
        verbose_name_plural = _("conflits d'intérêts")
        constraints = [
            models.UniqueConstraint(fields=["member", "application"], name="jury_conflict_unique")
        ]

    def __str__(self):
        return f"{self.member} ✕ {self.application}"


class ApplicationReview(models.Model):
    """One jury member's review of a candidate for their défi (a chosen ``ApplicationChoice``)."""

    member = models.ForeignKey(
        JuryMember, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("membre")
    )
    choice = models.ForeignKey(
        ApplicationChoice,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("choix évalué"),
    )
    comment = BoundedTextField(_("avis général"), blank=True)
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["choice", "member"]
        verbose_name = _("évaluation de candidature")
        verbose_name_plural = _("évaluations de candidature")
        constraints = [
            models.UniqueConstraint(fields=["member", "choice"], name="application_review_unique")
        ]

    def __str__(self):
        return f"{self.member.user} → {self.choice}"


class ApplicationReviewScore(models.Model):
    """The score (1–5) given to one criterion in one review."""

    review = models.ForeignKey(
        ApplicationReview,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("évaluation"),
    )
    criterion = models.ForeignKey(
        ApplicationCriterion,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("critère"),
    )
    score = models.PositiveSmallIntegerField(_("note (1 à 5)"))

    class Meta:
        ordering = ["review", "criterion__order"]
        verbose_name = _("note de candidature")
        verbose_name_plural = _("notes de candidature")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="application_review_score_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="application_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.criterion.label}: {self.score}"


class InterviewSlot(models.Model):
    """An interview slot of a défi's jury (start, end, place or video link)."""

    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.CASCADE,
        related_name="interview_slots",
        verbose_name=_("défi"),
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    video_url = models.URLField(_("lien de visioconférence"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ouvert par"),
    )

    class Meta:
        ordering = ["challenge", "starts_at"]
        verbose_name = _("créneau d'entretien")
        verbose_name_plural = _("créneaux d'entretien")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="interview_slot_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.challenge} — {self.starts_at:%Y-%m-%d %H:%M}"


class Interview(models.Model):
    """A candidate's invitation to a jury interview for one défi, and the slot they booked.

    ``token`` makes the booking link unguessable. A slot holds at most one interview (unique
    ``slot``); cancelling frees the slot (``slot`` back to null) and the candidate may rebook.
    """

    class Status(models.TextChoices):
        INVITED = "invited", _("Invité·e")
        BOOKED = "booked", _("Créneau réservé")
        HELD = "held", _("Entretien tenu")
        CANCELLED = "cancelled", _("Annulé")

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="interviews",
        verbose_name=_("candidature"),
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.CASCADE,
        related_name="interviews",
        verbose_name=_("défi"),
    )
    slot = models.OneToOneField(
        InterviewSlot,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interview",
        verbose_name=_("créneau"),
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.INVITED
    )
    token = models.UUIDField(_("jeton de réservation"), default=uuid.uuid4, unique=True)
    invited_at = models.DateTimeField(_("invité le"), auto_now_add=True)
    booked_at = models.DateTimeField(_("réservé le"), null=True, blank=True)

    class Meta:
        ordering = ["challenge", "slot__starts_at"]
        verbose_name = _("entretien")
        verbose_name_plural = _("entretiens")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "challenge"], name="interview_unique_per_challenge"
            ),
            models.CheckConstraint(
                condition=~Q(status="booked") | Q(slot__isnull=False),
                name="interview_booked_has_slot",
            ),
        ]

    def __str__(self):
        return f"{self.application} — {self.challenge}"

    def get_absolute_url(self):
        return reverse("recruitment:interview_book", args=[self.token])


class Placement(models.Model):
    """A candidate placed on a défi by the matching (« équipe proposée »), then confirmed.

    One placement per application (nobody is placed twice); places per profile are checked by
    the services under a row lock on the opening.
    """

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="placement",
        verbose_name=_("candidature"),
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.CASCADE,
        related_name="placements",
        verbose_name=_("défi"),
    )
    preference_rank = models.PositiveSmallIntegerField(_("rang de préférence"))
    is_confirmed = models.BooleanField(_("confirmé"), default=False)
    created_at = models.DateTimeField(_("proposé le"), auto_now_add=True)

    class Meta:
        ordering = ["challenge", "preference_rank"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self):
        return f"{self.application} → {self.challenge}"
