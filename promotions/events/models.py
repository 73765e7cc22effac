"""Events of the support programme and the personal invitations to them.

An ``Event`` belongs to one promotion; ``starts_at`` / ``ends_at`` are aware datetimes stored in
UTC and shown in Europe/Paris. An ``EventInvitation`` is one person's personal link (token, no
account): the person answers yes or no; a « yes » beyond the event's ``capacity`` goes to the
waiting list (``is_waitlisted``) and moves up, in order of answer, when a seat frees up.
``attended`` is recorded by a coordinator at the roll call (``None`` = not recorded).
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from promotions.persons import exactly_one_person, person_fields, token_fields


class Event(models.Model):
    """One event of a promotion's support programme (launch week, seminar, training …)."""

    class Kind(models.TextChoices):
        """The kinds of event named by the 2019 report's support programme."""

        LAUNCH_WEEK = "launch_week", _("Semaine de lancement")
        COLLECTIVE_SESSION = "collective_session", _("Session collective")
        OFFSITE_SEMINAR = "offsite_seminar", _("Séminaire au vert")
        TRAINING = "training", _("Formation")
        COACHING = "coaching", _("Coaching")
        OTHER = "other", _("Autre")

    class Audience(models.TextChoices):
        """Who is invited: the promotion's EIG, its mentors, or both."""

        FELLOWS = "fellows", _("EIG")
        MENTORS = "mentors", _("Mentors")
        BOTH = "both", _("EIG et mentors")

    promotion = models.ForeignKey(
        "promotions.Promotion",
        verbose_name=_("promotion"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("début"), help_text=_("Heure de Paris"))
    ends_at = models.DateTimeField(_("fin"), help_text=_("Heure de Paris"))
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    video_url = models.URLField(_("lien de visioconférence"), max_length=500, blank=True)
    audience = models.CharField(
        _("public"), max_length=10, choices=Audience.choices, default=Audience.BOTH
    )
    capacity = models.PositiveIntegerField(
        _("nombre de places"), null=True, blank=True, help_text=_("Vide : sans limite.")
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(video_url=""), name="event_has_place_or_video"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="event_capacity_positive",
            ),
        ]
        indexes = [models.Index(fields=["promotion", "starts_at"], name="event_promotion_start")]

    def __str__(self):
        return self.title

    @property
    def invites_fellows(self) -> bool:
        """True when the promotion's EIG are invited."""
        return self.audience in (self.Audience.FELLOWS, self.Audience.BOTH)

    @property
    def invites_mentors(self) -> bool:
        """True when the promotion's mentors are invited."""
        return self.audience in (self.Audience.MENTORS, self.Audience.BOTH)


class EventInvitation(models.Model):
    """One person's invitation to an event: personal link, answer, waiting list, attendance."""

    class Answer(models.TextChoices):
        """The person's answer; ``PENDING`` until they answer."""

        PENDING = "", _("Sans réponse")
        YES = "yes", _("Oui")
        NO = "no", _("Non")

    event = models.ForeignKey(
        Event, verbose_name=_("événement"), on_delete=models.CASCADE, related_name="invitations"
    )
    fellow, mentor = person_fields("event_invitations")
    email = models.EmailField(_("courriel"))
    token_seed, token_hash = token_fields()
    answer = models.CharField(
        _("réponse"), max_length=3, choices=Answer.choices, blank=True, default=Answer.PENDING
    )
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    is_waitlisted = models.BooleanField(_("en liste d'attente"), default=False)
    attended = models.BooleanField(_("présent"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_seed", "token_hash"])

    class Meta:
        ordering = ["event", "email"]
        verbose_name = _("invitation à un événement")
        verbose_name_plural = _("invitations à un événement")
        constraints = [
            exactly_one_person("event_invitation_one_person"),
            models.UniqueConstraint(
                fields=["event", "fellow"],
                condition=Q(fellow__isnull=False),
                name="event_invitation_unique_fellow",
            ),
            models.UniqueConstraint(
                fields=["event", "mentor"],
                condition=Q(mentor__isnull=False),
                name="event_invitation_unique_mentor",
            ),
            models.CheckConstraint(
                condition=Q(is_waitlisted=False) | Q(answer="yes"),
                name="event_invitation_waitlist_only_yes",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "answer", "is_waitlisted"], name="event_inv_answer")
        ]

    def __str__(self):
        return f"{self.event} → {self.email}"

    @property
    def person(self):
        """The invited ``Fellow`` or ``Mentor``."""
        return self.fellow or self.mentor

    @property
    def is_confirmed(self) -> bool:
        """True for a « yes » that holds a seat (not on the waiting list)."""
        return self.answer == self.Answer.YES and not self.is_waitlisted


class CalendarFeed(models.Model):
    """One person's private calendar link (``.ics``): the events they are invited to."""

    fellow, mentor = person_fields("calendar_feeds")
    token_seed, token_hash = token_fields()
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda personnel")
        verbose_name_plural = _("agendas personnels")
        constraints = [
            exactly_one_person("calendar_feed_one_person"),
            models.UniqueConstraint(
                fields=["fellow"], condition=Q(fellow__isnull=False), name="calendar_feed_fellow"
            ),
            models.UniqueConstraint(
                fields=["mentor"], condition=Q(mentor__isnull=False), name="calendar_feed_mentor"
            ),
        ]

    def __str__(self):
        return str(self.fellow or self.mentor)
