"""The fields that tie a record to one person of the programme: an EIG or a mentor.

Events invitations, alumni entries and follow-up records name either a ``Fellow`` or a
``Mentor``; ``person_fields`` builds the two nullable foreign keys and ``exactly_one_person``
the check constraint that exactly one is set.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def person_fields(related_name: str) -> tuple[models.ForeignKey, models.ForeignKey]:
    """``(fellow, mentor)`` nullable foreign keys, both with ``related_name``."""
    fellow = models.ForeignKey(
        "promotions.Fellow",
        verbose_name=_("EIG"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name=related_name,
    )
    mentor = models.ForeignKey(
        "promotions.Mentor",
        verbose_name=_("mentor"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name=related_name,
    )
    return fellow, mentor


def exactly_one_person(name: str) -> models.CheckConstraint:
    """Check constraint: exactly one of ``fellow`` and ``mentor`` is set."""
    return models.CheckConstraint(
        condition=(Q(fellow__isnull=False) & Q(mentor__isnull=True))
        | (Q(fellow__isnull=True) & Q(mentor__isnull=False)),
        name=name,
    )


def token_fields() -> tuple[models.CharField, models.CharField]:
    """``(token_seed, token_hash)`` of a personal link (see the personal-token helpers)."""
    return (
        models.CharField(_("graine du jeton"), max_length=64, editable=False),
        models.CharField(_("empreinte du jeton"), max_length=64, unique=True, editable=False),
    )
