"""Retention notices (announced, extendable deletions), retention runs and erasure records.

A ``RetentionNotice`` announces that one object will lose its personal data at ``due_at``;
a coordinator may extend it (new date and reason, kept in ``extended_*``). A ``RetentionRun``
records what one run of the retention rules removed, as counts per kind (never names). An
``ErasureRecord`` says that a person's data was erased from one object (so that the history
rule scrubs the older copies too) — it names the object by id, not the person.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RetentionKind(models.TextChoices):
    """The retention rules, one Celery beat task each (see ``eig_portal.privacy.rules``)."""

    DRAFTS = "drafts", _("Brouillons des appels clos")
    INACTIVE_ACCOUNTS = "inactive_accounts", _("Comptes inactifs")
    INVITATION_EMAILS = "invitation_emails", _("Courriels des invitations aux questionnaires")
    JUROR_ACCOUNTS = "juror_accounts", _("Comptes des membres du jury")
    OUTBOX = "outbox", _("Courriels envoyés")
    HISTORY = "history", _("Historique contenant des données effacées")


class RetentionNotice(models.Model):
    """A due deletion, announced to the person and visible to coordinators.

    ``due_at``: when the personal data goes (moved by an extension). ``recipient`` is the
    address the notice was sent to; it is blanked once the notice is applied or cancelled.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Annoncée")
        APPLIED = "applied", _("Effectuée")
        CANCELLED = "cancelled", _("Annulée (plus due)")

    kind = models.CharField(_("règle"), max_length=30, choices=RetentionKind.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("type d'objet")
    )
    object_id = models.PositiveBigIntegerField(_("identifiant de l'objet"))
    description = models.CharField(_("objet"), max_length=255, blank=True)
    recipient = models.EmailField(_("destinataire de l'annonce"), blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    due_at = models.DateTimeField(_("suppression prévue le"))
    notified_at = models.DateTimeField(_("annoncée le"))
    extended_at = models.DateTimeField(_("prolongée le"), null=True, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("prolongée par"),
    )
    extension_reason = models.TextField(_("motif de la prolongation"), blank=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("annonce de suppression")
        verbose_name_plural = _("annonces de suppression")
        permissions = [("view_register", _("Peut consulter le registre des données personnelles"))]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"],
                condition=Q(status="pending"),
                name="retention_notice_one_pending_per_object",
            ),
            models.CheckConstraint(
                condition=Q(extended_at__isnull=True) | ~Q(extension_reason=""),
                name="retention_notice_extension_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.description or self.object_id}"


class RetentionRun(models.Model):
    """One run of one or more retention rules: when, for which date, and the counts removed.

    ``removed`` / ``notified`` map a ``RetentionKind`` value to a count of objects.
    """

    started_at = models.DateTimeField(_("lancée le"), auto_now_add=True)
    now = models.DateTimeField(_("date de référence"))
    kinds = models.JSONField(_("règles"), default=list)
    dry_run = models.BooleanField(_("simulation"), default=False)
    removed = models.JSONField(_("supprimés"), default=dict)
    notified = models.JSONField(_("annoncés"), default=dict)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("passage de conservation")
        verbose_name_plural = _("passages de conservation")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} — {sum(self.removed.values())}"


class ErasureRecord(models.Model):
    """The personal data of one object was erased (by a rule or on request), at a date."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("type d'objet")
    )
    object_id = models.PositiveBigIntegerField(_("identifiant de l'objet"))
    erased_at = models.DateTimeField(_("effacé le"))
    kind = models.CharField(_("origine"), max_length=30, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("par"),
    )
    reason = models.TextField(_("motif"), blank=True)
    history_scrubbed_at = models.DateTimeField(_("historique nettoyé le"), null=True, blank=True)

    class Meta:
        ordering = ["-erased_at", "-pk"]
        verbose_name = _("effacement")
        verbose_name_plural = _("effacements")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.content_type} #{self.object_id}"
