"""The alumni directory: one opt-in entry per former EIG and their situation over time.

The directory lists only the entries whose person opted in (``is_listed``). Each person edits
their own entry from a personal link sent once a year. ``AlumniSituation`` rows are never
overwritten: the current situation is the latest by ``as_of``; the history gives the
trajectories the 2019 report describes (in the administration, independent, thesis …).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from promotions.persons import token_fields


class AlumniProfile(models.Model):
    """A former EIG's directory entry (shown only when ``is_listed``) and personal link."""

    class Contact(models.TextChoices):
        """How the person accepts to be contacted through the directory."""

        EMAIL = "email", _("Par courriel")
        LINKEDIN = "linkedin", _("Par un profil en ligne")
        NONE = "none", _("Ne pas me contacter")

    fellow = models.OneToOneField(
        "promotions.Fellow",
        verbose_name=_("EIG"),
        on_delete=models.CASCADE,
        related_name="alumni_profile",
    )
    is_listed = models.BooleanField(
        _("figurer dans l'annuaire"),
        default=False,
        help_text=_("L'entrée n'est visible que si la personne l'a accepté."),
    )
    current_position = models.CharField(_("poste actuel"), max_length=200, blank=True)
    organisation = models.CharField(_("structure"), max_length=200, blank=True)
    contact_preference = models.CharField(
        _("préférence de contact"), max_length=10, choices=Contact.choices, default=Contact.NONE
    )
    contact_detail = models.CharField(
        _("coordonnée"), max_length=300, blank=True, help_text=_("Courriel ou adresse du profil.")
    )
    token_seed, token_hash = token_fields()
    link_sent_at = models.DateTimeField(_("lien envoyé le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["token_seed", "token_hash"])

    class Meta:
        ordering = ["fellow__name"]
        verbose_name = _("alumni")
        verbose_name_plural = _("alumni")
        constraints = [
            models.CheckConstraint(
                condition=Q(contact_preference="none") | ~Q(contact_detail=""),
                name="alumni_contact_has_detail",
            )
        ]

    def __str__(self):
        return str(self.fellow)


class AlumniSituation(models.Model):
    """A former EIG's situation from ``as_of`` on; the latest by ``as_of`` is the current one."""

    class Situation(models.TextChoices):
        """Situations after the programme, as in the 2019 report's alumni survey."""

        CIVIL_SERVANT = "civil_servant", _("Dans l'administration, fonctionnaire")
        CONTRACTUAL = "contractual", _("Dans l'administration, contractuel·le")
        INDEPENDENT = "independent", _("Indépendant·e")
        PRIVATE_SECTOR = "private_sector", _("Secteur privé")
        RESEARCH = "research", _("Recherche ou thèse")
        OTHER = "other", _("Autre")

    profile = models.ForeignKey(
        AlumniProfile,
        verbose_name=_("alumni"),
        on_delete=models.CASCADE,
        related_name="situations",
    )
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    as_of = models.DateField(_("depuis le"))
    detail = models.CharField(_("précision"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    class Meta:
        ordering = ["profile", "-as_of"]
        verbose_name = _("situation d'alumni")
        verbose_name_plural = _("situations d'alumni")
        constraints = [
            models.UniqueConstraint(fields=["profile", "as_of"], name="alumni_situation_per_date")
        ]

    def __str__(self):
        return f"{self.profile} — {self.get_situation_display()} ({self.as_of})"
