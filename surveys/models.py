"""Questionnaire models (Survey, Section, Question, Choice, Invitation, Response, Answer).

Anonymity: a ``Response`` copies ``role`` and ``promotion`` from its invitation
so that results can be broken down without touching the invitation. For an anonymous survey,
results and exports read only ``Response``/``Answer`` columns (never ``invitation`` nor the
person) and identify a response by its random ``public_id``; coordinators still see who has
submitted through ``Invitation`` + ``Response.status``.

Tokens: the personal link carries a token of 256 random bits. The database never stores it: it
keeps a random ``token_seed`` and ``token_hash`` = SHA-256 of the token; the token is
HMAC-SHA256(``SURVEY_TOKEN_KEY`` or ``SECRET_KEY``, seed), so the link can be rebuilt for
reminders while a database dump alone does not reveal any link (see ``eig_portal/common/tokens.py``).
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eig_portal.common.limits import BoundedTextField

TEXT_MAX_LENGTH = 10_000
MAX_REMINDERS = 2


class Role(models.TextChoices):
    """Who answers a questionnaire."""

    FELLOW = "fellow", _("EIG")
    MENTOR = "mentor", _("Mentor")


class Survey(models.Model):
    """A questionnaire sent to the EIG and/or the mentors of chosen promotions."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=255)
    description = BoundedTextField(_("description"), blank=True)
    audience_fellows = models.BooleanField(_("destiné aux EIG"), default=True)
    audience_mentors = models.BooleanField(_("destiné aux mentors"), default=False)
    promotions = models.ManyToManyField(
        "promotions.Promotion",
        verbose_name=_("promotions"),
        blank=True,
        related_name="surveys",
    )
    opens_at = models.DateTimeField(_("ouverture"), null=True, blank=True)
    closes_at = models.DateTimeField(_("clôture"), null=True, blank=True)
    is_anonymous = models.BooleanField(
        _("anonyme"),
        default=False,
        help_text=_("Les résultats et exports ne relient jamais une réponse à une personne."),
    )
    first_reminder_after_days = models.PositiveSmallIntegerField(
        _("première relance après (jours)"), null=True, blank=True, default=7
    )
    second_reminder_after_days = models.PositiveSmallIntegerField(
        _("seconde relance après (jours)"),
        null=True,
        blank=True,
        default=14,
        help_text=_("Compté depuis l'envoi de l'invitation."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "code"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(opens_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="survey_closes_after_opens",
            ),
            models.CheckConstraint(
                condition=Q(audience_fellows=True) | Q(audience_mentors=True),
                name="survey_has_audience",
            ),
        ]

    def __str__(self):
        return self.title

    def is_open(self, now=None):
        """True between ``opens_at`` (if set) and ``closes_at`` (if set, excluded)."""
        now = now or timezone.now()
        if self.not_yet_open(now):
            return False
        return not (self.closes_at and now >= self.closes_at)

    def not_yet_open(self, now=None):
        """True before ``opens_at`` (never when it is not set)."""
        return bool(self.opens_at and (now or timezone.now()) < self.opens_at)

    @property
    def roles(self):
        """The roles of the audience, as a list of ``Role`` values."""
        return [
            r
            for r, on in (
                (Role.FELLOW, self.audience_fellows),
                (Role.MENTOR, self.audience_mentors),
            )
            if on
        ]


class Section(models.Model):
    """One page of a questionnaire."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("titre"), max_length=255)
    description = BoundedTextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["survey", "order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.title


class Question(models.Model):
    """A question of a section; ``code`` is stable and unique within the survey.

    ``survey`` repeats ``section.survey`` (kept equal by the services) so that the database can
    enforce the unique code per survey and results can filter by survey without a join.
    ``show_if_question``/``show_if_value``: shown only when that earlier answer equals the value
    (a choice code, ``yes``/``no``, or a number as text).
    """

    class Type(models.TextChoices):
        SINGLE = "single", _("Choix unique")
        MULTIPLE = "multiple", _("Choix multiple")
        SCALE = "scale", _("Échelle")
        YESNO = "yesno", _("Oui / non")
        NUMBER = "number", _("Nombre")
        SHORT_TEXT = "short_text", _("Texte court")
        LONG_TEXT = "long_text", _("Texte long")

    survey = models.ForeignKey(
        Survey, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions"
    )
    code = models.SlugField(_("code"), max_length=80)
    text = BoundedTextField(_("question"))
    help_text = BoundedTextField(_("aide"), blank=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    required = models.BooleanField(_("obligatoire"), default=False)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    scale_min = models.SmallIntegerField(_("échelle : minimum"), null=True, blank=True)
    scale_max = models.SmallIntegerField(_("échelle : maximum"), null=True, blank=True)
    min_label = models.CharField(_("libellé du minimum"), max_length=100, blank=True)
    max_label = models.CharField(_("libellé du maximum"), max_length=100, blank=True)
    number_min = models.DecimalField(
        _("nombre : minimum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    number_max = models.DecimalField(
        _("nombre : maximum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    unit = models.CharField(_("unité"), max_length=30, blank=True)
    show_if_question = models.ForeignKey(
        "self",
        verbose_name=_("afficher si la question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependents",
    )
    show_if_value = models.CharField(_("a pour réponse"), max_length=80, blank=True)
    pinned = models.BooleanField(
        _("résultat clé"),
        default=False,
        help_text=_("Résultat affiché sur « Le programme en chiffres »."),
    )
    pinned_choice = models.CharField(
        _("réponse mise en avant"),
        max_length=80,
        blank=True,
        help_text=_("Code du choix (ou « yes ») dont la part est mise en avant."),
    )

    class Meta:
        ordering = ["section__order", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "code"], name="question_code_unique_per_survey"
            ),
            models.CheckConstraint(
                condition=Q(scale_min__isnull=True)
                | Q(scale_max__isnull=True)
                | Q(scale_max__gt=F("scale_min")),
                name="question_scale_max_gt_min",
            ),
            models.CheckConstraint(
                condition=Q(number_min__isnull=True)
                | Q(number_max__isnull=True)
                | Q(number_max__gte=F("number_min")),
                name="question_number_max_gte_min",
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.text[:60]}"

    @property
    def has_choices(self):
        return self.type in (self.Type.SINGLE, self.Type.MULTIPLE)


class Choice(models.Model):
    """One answer option of a single or multiple choice question."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    code = models.SlugField(_("code"), max_length=80)
    label = models.CharField(_("libellé"), max_length=255)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("choix")
        verbose_name_plural = _("choix")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "code"], name="choice_code_unique_per_question"
            )
        ]

    def __str__(self):
        return self.label


class Invitation(models.Model):
    """One person's personal link to a survey (see the module docstring for the token)."""

    survey = models.ForeignKey(
        Survey,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices)
    fellow = models.ForeignKey(
        "promotions.Fellow",
        verbose_name=_("EIG"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_invitations",
    )
    mentor = models.ForeignKey(
        "promotions.Mentor",
        verbose_name=_("mentor"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_invitations",
    )
    promotion = models.ForeignKey(
        "promotions.Promotion",
        verbose_name=_("promotion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_invitations",
    )
    email = models.EmailField(_("courriel"))
    token_seed = models.CharField(_("graine du jeton"), max_length=64, editable=False)
    token_hash = models.CharField(
        _("empreinte du jeton"), max_length=64, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    opened_at = models.DateTimeField(_("ouverte le"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("relances envoyées"), default=0)
    last_reminder_at = models.DateTimeField(_("dernière relance"), null=True, blank=True)
    unsubscribed_from_reminders = models.BooleanField(_("désinscrit des relances"), default=False)
    invalidated_at = models.DateTimeField(_("invalidée le"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "role", "email"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(reminders_sent__lte=MAX_REMINDERS),
                name="invitation_at_most_two_reminders",
            ),
            models.CheckConstraint(
                condition=(Q(role=Role.FELLOW) & Q(mentor__isnull=True))
                | (Q(role=Role.MENTOR) & Q(fellow__isnull=True)),
                name="invitation_person_matches_role",
            ),
            models.UniqueConstraint(
                fields=["survey", "fellow"],
                condition=Q(fellow__isnull=False),
                name="invitation_unique_fellow_per_survey",
            ),
            models.UniqueConstraint(
                fields=["survey", "mentor"],
                condition=Q(mentor__isnull=False),
                name="invitation_unique_mentor_per_survey",
            ),
        ]
        indexes = [models.Index(fields=["survey", "sent_at"], name="invitation_survey_sent")]

    def __str__(self):
        return f"{self.survey.code} → {self.email}"

    @property
    def person(self):
        return self.fellow or self.mentor

    @property
    def is_valid(self):
        return self.invalidated_at is None


class Response(models.Model):
    """One person's answers to a survey; at most one per invitation (database constraint).

    ``invitation`` is empty for responses imported from elsewhere (``source = import``), which
    carry an external ``respondent`` id instead. ``role`` and ``promotion`` are copied from the
    invitation so results never need the invitation (anonymity).
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("En cours")
        SUBMITTED = "submitted", _("Envoyée")

    class Source(models.TextChoices):
        PORTAL = "portal", _("Portail")
        IMPORT = "import", _("Import")

    public_id = models.UUIDField(
        _("identifiant public"), default=uuid.uuid4, unique=True, editable=False
    )
    survey = models.ForeignKey(
        Survey, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="responses"
    )
    invitation = models.OneToOneField(
        Invitation,
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="response",
    )
    respondent = models.CharField(_("répondant (identifiant externe)"), max_length=100, blank=True)
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices)
    promotion = models.ForeignKey(
        "promotions.Promotion",
        verbose_name=_("promotion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    source = models.CharField(
        _("origine"), max_length=10, choices=Source.choices, default=Source.PORTAL
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    current_section = models.ForeignKey(
        Section,
        verbose_name=_("section en cours"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("commencée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    submitted_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "started_at", "pk"]
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="response_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(source="import") | Q(invitation__isnull=False),
                name="response_portal_has_invitation",
            ),
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=~Q(respondent=""),
                name="response_unique_respondent_per_survey",
            ),
        ]
        indexes = [
            models.Index(fields=["survey", "status", "role"], name="response_survey_status_role"),
        ]

    def __str__(self):
        return f"{self.survey.code} #{self.public_id}"

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    """The answer of one response to one question; the value column depends on the type.

    single → ``choice``; multiple → ``choices``; scale and number → ``number``; yes/no →
    ``boolean``; short/long text → ``text`` (at most 10,000 characters).
    """

    response = models.ForeignKey(
        Response, verbose_name=_("réponse"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="answers",
        db_index=False,  # the (question, id) index below serves the foreign key too
    )
    choice = models.ForeignKey(
        Choice,
        verbose_name=_("choix"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="single_answers",
    )
    choices = models.ManyToManyField(
        Choice, verbose_name=_("choix multiples"), blank=True, related_name="multiple_answers"
    )
    number = models.DecimalField(
        _("nombre"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    text = models.TextField(_("texte"), max_length=TEXT_MAX_LENGTH, blank=True)
    boolean = models.BooleanField(_("oui / non"), null=True, blank=True)

    class Meta:
        ordering = ["response", "question"]
        verbose_name = _("réponse à une question")
        verbose_name_plural = _("réponses aux questions")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="answer_unique_per_question"
            )
        ]
        indexes = [
            # A question's first answers in order (the results' free-text samples) read a few
            # index entries instead of scanning every answer of the questionnaire.
            models.Index(fields=["question", "id"], name="answer_question_id"),
        ]

    def __str__(self):
        return f"{self.response_id} / {self.question.code}"


class AnswerCount(models.Model):
    """How many submitted answers share one combination of grouping values (a stored tally).

    The results of a questionnaire group its answers by question, role, promotion and value
    (see ``surveys.results``); counting 100,000 responses × 40 questions again at every view
    cost four times a plain ``GROUP BY``. These rows hold those counts, kept up to date in the
    writer's transaction (``surveys.answer_counts``): a submitted response adds its own, an
    import rebuilds its questionnaire's, any other change marks them stale for a rebuild at
    the next read. They hold no identifier of anyone: counts by role and promotion only.

    Two kinds of rows: ``answer`` — one per combination of the answer's own columns (choice,
    yes/no, number, whether it holds text, whether it has multiple choices); ``choice`` — one
    per choice ticked in a multiple-choice answer (``choice_key``). Keys use 0 for « none »
    (``promotion_key``, ``choice_key``, ``boolean_key`` 0/1/2 = none/no/yes, ``number`` 0 with
    ``has_number`` false) so that one unique constraint makes « add one more » an upsert.

    ``survey`` is the survey of the counted responses, and part of the group: a question moved
    to another questionnaire (in the admin) keeps the answers of its former one, and both
    questionnaires' counts of it must stay apart (they were added into one row).
    """

    class Kind(models.TextChoices):
        ANSWER = "answer", _("réponse")
        CHOICE = "choice", _("choix coché")

    survey = models.ForeignKey(
        Survey,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique group below starts with the survey and serves its key
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,  # done by Django: the rows go with their question
        related_name="+",
        # No constraint in the database: counts added by a submission (or a rebuild) while the
        # question was being deleted would fail it, and the submission with them; such rows are
        # never read (results read the survey's questions) and go at the next rebuild.
        db_constraint=False,
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices)
    promotion_key = models.BigIntegerField(_("promotion (0 : aucune)"))
    kind = models.CharField(_("sorte"), max_length=6, choices=Kind.choices)
    choice_key = models.BigIntegerField(_("choix (0 : aucun)"))
    boolean_key = models.SmallIntegerField(_("oui / non (0 : vide, 1 : non, 2 : oui)"))
    has_number = models.BooleanField(_("contient un nombre"))
    number = models.DecimalField(_("nombre"), max_digits=14, decimal_places=4)
    has_text = models.BooleanField(_("contient du texte"))
    has_choices = models.BooleanField(_("a des choix multiples"))
    n = models.BigIntegerField(_("nombre de réponses"))

    class Meta:
        verbose_name = _("comptage de réponses")
        verbose_name_plural = _("comptages de réponses")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "survey",
                    "question",
                    "role",
                    "promotion_key",
                    "kind",
                    "choice_key",
                    "boolean_key",
                    "has_number",
                    "number",
                    "has_text",
                    "has_choices",
                ],
                name="answer_count_unique_group",
            )
        ]

    def __str__(self):
        return f"{self.question_id} / {self.role} / {self.kind}: {self.n}"


class AnswerCountState(models.Model):
    """Whether the ``AnswerCount`` rows of a questionnaire are current (one row per survey).

    Writers lock this row until they commit: adding a response's counts and a rebuild take it
    ``FOR UPDATE`` (the addition adds only when current); a change the counts cannot follow
    sets ``is_current`` to false, even when already false (``surveys.answer_counts``).
    """

    survey = models.OneToOneField(
        Survey, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="+"
    )
    is_current = models.BooleanField(_("à jour"), default=False)
    built_at = models.DateTimeField(_("recalculé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("état des comptages de réponses")
        verbose_name_plural = _("états des comptages de réponses")

    def __str__(self):
        return f"{self.survey_id}: {'current' if self.is_current else 'stale'}"
