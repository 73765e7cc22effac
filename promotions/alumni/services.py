"""Writes of the alumni directory: entries, their yearly personal link, situations.

Keyword-only, one transaction each, ``full_clean()``; raise ``ValidationError`` on bad values.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from eig_portal.common.tokens import set_new_token
from promotions.models import Fellow

from .models import AlumniProfile, AlumniSituation


@transaction.atomic
def alumni_profile_new_link(*, fellow: Fellow) -> tuple[AlumniProfile, str]:
    """The fellow's entry (created unlisted if missing) with a new personal link token.

    Each yearly email gets a fresh link; the previous one stops working.
    """
    profile = AlumniProfile.objects.filter(fellow=fellow).first() or AlumniProfile(fellow=fellow)
    token = set_new_token(profile)
    profile.link_sent_at = timezone.now()
    profile.full_clean()
    profile.save()
    return profile, token


@transaction.atomic
def alumni_profile_update(
    *,
    profile: AlumniProfile,
    is_listed: bool,
    current_position: str,
    organisation: str,
    contact_preference: str,
    contact_detail: str,
    situation: str,
    situation_detail: str = "",
    as_of: date | None = None,
) -> AlumniProfile:
    """Save the person's own entry and record their situation at ``as_of`` (default: today).

    A situation different from the current one is added to the history; the same date replaces
    that date's row. The current situation is never overwritten by an older date.
    """
    profile.is_listed = is_listed
    profile.current_position = current_position.strip()
    profile.organisation = organisation.strip()
    profile.contact_preference = contact_preference
    profile.contact_detail = "" if contact_preference == "none" else contact_detail.strip()
    profile.full_clean()
    profile.save()
    as_of = as_of or timezone.localdate()
    current = profile.situations.order_by("-as_of", "-pk").first()
    if current is None or current.situation != situation or current.detail != situation_detail:
        row = AlumniSituation.objects.filter(profile=profile, as_of=as_of).first()
        row = row or AlumniSituation(profile=profile, as_of=as_of)
        row.situation = situation
        row.detail = situation_detail.strip()
        row.full_clean()
        row.save()
    return profile
