"""Emails of the défis' follow-up and of the alumni (the events' own are in
``promotions.events.notifications``), all sent through the one email helper (``send_once``:
three-part template, recorded once per key, so a retried task never sends twice).

- the weekly digest of a promotion (the week's updates and the coming events);
- the follow-up link of a défi team member;
- the mentors' outcome request (end of the ten months, six months later);
- the alumni's yearly link to their entry.

Links are rebuilt from each record's token seed (``token_for_seed``); callers pass ids.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse

from eig_portal.common.emails import send_once
from eig_portal.common.tokens import token_for_seed
from promotions.alumni.models import AlumniProfile
from promotions.models import Promotion

from .models import FollowUpLink, OutcomeRequest
from .selectors import weekly_digest


def _url(name: str, obj) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[token_for_seed(obj.token_seed)])


def weekly_digest_email(*, promotion_id: int, week_end: datetime) -> bool:
    """Send the promotion's digest for the week ending ``week_end`` once; False if empty."""
    digest = weekly_digest(promotion=Promotion.objects.get(pk=promotion_id), week_end=week_end)
    if not digest.updates and not digest.events:
        return False
    year, week, _day = week_end.isocalendar()
    return send_once(
        key=f"weekly_digest:{promotion_id}:{year}-W{week:02d}",
        name="weekly_digest",
        recipients=digest.recipients,
        context={"digest": digest},
    )


def followup_link_email(*, link_id: int) -> bool:
    """Send a team member their personal follow-up link (once)."""
    link = FollowUpLink.objects.select_related("challenge", "fellow", "mentor").get(pk=link_id)
    return send_once(
        key=f"followup_link:{link.pk}",
        name="followup_link",
        recipients=[link.email],
        context={"challenge": link.challenge, "link": _url("followup:team", link)},
    )


def outcome_request_email(*, request_id: int) -> bool:
    """Ask a mentor for the défi's outcome (once per request)."""
    request = OutcomeRequest.objects.select_related("challenge", "mentor").get(pk=request_id)
    return send_once(
        key=f"outcome_request:{request.pk}",
        name="outcome_request",
        recipients=[request.mentor.email],
        context={
            "request": request,
            "challenge": request.challenge,
            "link": _url("followup:outcome", request),
        },
    )


def alumni_link_email(*, profile_id: int, year: int) -> bool:
    """Send a former EIG the yearly link to their entry (once a year)."""
    profile = AlumniProfile.objects.select_related("fellow").get(pk=profile_id)
    return send_once(
        key=f"alumni_link:{profile.pk}:{year}",
        name="alumni_link",
        recipients=[profile.fellow.email],
        context={"person": profile.fellow, "link": _url("alumni:edit", profile), "year": year},
    )
