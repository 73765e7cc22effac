"""A person's data as JSON-ready dicts (right of access, GDPR art. 15), found by email address.

``person_export`` gathers every record the register lists for one address (case ignored):
account, agent profile, proposals written or naming the person as a mentor, jury reviews, EIG
and mentor records, questionnaire invitations with their answers, emails sent. Dates are ISO
8601 strings; the shape is stable (keys always present, lists possibly empty).
"""

from typing import Any

from django.db.models import Q
from django.utils import timezone

from challenges.models import ChallengeProposal, Review
from eig_portal.common.models import NotificationLog
from surveys.models import Answer

from .anonymise import people_found, target_email
from .models import RetentionNotice

#: The lists of an export, always present (possibly empty).
SECTIONS = (
    "accounts",
    "jury_reviews",
    "fellows",
    "mentors",
    "survey_invitations",
    "proposals_naming_you",
    "emails_sent",
    "retention_notices",
)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _user(user) -> dict[str, Any]:
    profile = getattr(user, "agent_profile", None)
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "email_addresses": [a.email for a in user.emailaddress_set.all()],
        "agent_profile": profile
        and {"administration": str(profile.administration), "position": profile.position},
        "proposals_created": [
            {"id": p.pk, "title": p.title, "status": p.status} for p in user.created_proposals.all()
        ],
    }


def _reviews(users) -> list[dict[str, Any]]:
    reviews = (
        Review.objects.filter(assignment__juror__in=users)
        .select_related("assignment__proposal")
        .prefetch_related("scores__criterion")
    )
    return [
        {
            "proposal": r.assignment.proposal_id,
            "comment": r.comment,
            "submitted_at": _iso(r.submitted_at),
            "scores": [
                {"criterion": s.criterion.label, "score": s.score, "comment": s.comment}
                for s in r.scores.all()
            ],
        }
        for r in reviews
    ]


def _answer_value(answer: Answer):
    if answer.choice_id:
        return answer.choice.label
    chosen = [c.label for c in answer.choices.all()]
    if chosen:
        return chosen
    if answer.number is not None:
        return str(answer.number)
    if answer.boolean is not None:
        return answer.boolean
    return answer.text


def _invitations(invitations) -> list[dict[str, Any]]:
    answers: dict[int, list] = {}
    for a in (
        Answer.objects.filter(response__invitation__in=invitations)
        .select_related("question", "choice", "response")
        .prefetch_related("choices")
    ):
        answers.setdefault(a.response.invitation_id, []).append(
            {"question": a.question.text, "answer": _answer_value(a)}
        )
    return [
        {
            "survey": i.survey.title,
            "role": i.role,
            "email": i.email,
            "sent_at": _iso(i.sent_at),
            "answers": answers.get(i.pk, []),
        }
        for i in invitations.select_related("survey")
    ]


def _proposals_naming(email: str) -> list[dict[str, Any]]:
    rows = ChallengeProposal.objects.filter(
        Q(mentor_email__iexact=email) | Q(sponsor_email__iexact=email)
    )
    result = []
    for p in rows:
        for role in ("mentor", "sponsor"):
            if getattr(p, f"{role}_email").lower() == email.lower():
                result.append(
                    {
                        "proposal": p.pk,
                        "title": p.title,
                        "role": role,
                        "name": getattr(p, f"{role}_name"),
                        "position": getattr(p, f"{role}_position"),
                    }
                )
    return result


def person_export(
    *, email: str = "", fellow_id: int | None = None, mentor_id: int | None = None
) -> dict[str, Any]:
    """Everything held about ``email`` and/or one EIG or mentor record (see module docstring);
    an unknown person gives empty lists. Raises nothing."""
    email = target_email(email=email, fellow_id=fellow_id, mentor_id=mentor_id)
    if not (email or fellow_id or mentor_id):  # a blank address would match erased rows
        return {"email": "", "exported_at": _iso(timezone.now()), **{k: [] for k in SECTIONS}}
    found = people_found(email=email, fellow_id=fellow_id, mentor_id=mentor_id)
    users = (
        found["users"]
        .select_related("agent_profile__administration")
        .prefetch_related("emailaddress_set", "created_proposals")
    )
    return {
        "email": email,
        "exported_at": _iso(timezone.now()),
        "accounts": [_user(u) for u in users],
        "jury_reviews": _reviews(users),
        "fellows": [
            {
                "name": f.name,
                "email": f.email,
                "profile": f.profile,
                "job_title": f.job_title,
                "promotion": str(f.promotion),
            }
            for f in found["fellows"].select_related("promotion")
        ],
        "mentors": [
            {
                "name": m.name,
                "email": m.email,
                "role": m.role,
                "job_title": m.job_title,
                "administration": str(m.administration or ""),
            }
            for m in found["mentors"].select_related("administration")
        ],
        "survey_invitations": _invitations(found["invitations"]),
        "proposals_naming_you": _proposals_naming(email) if email else [],
        "emails_sent": [
            {"key": n.key, "sent_at": _iso(n.sent_at)}
            for n in (NotificationLog.objects.filter(recipients__icontains=email) if email else [])
        ],
        "retention_notices": [
            {"rule": n.get_kind_display(), "due_at": _iso(n.due_at), "status": n.status}
            for n in (RetentionNotice.objects.filter(recipient__iexact=email) if email else [])
        ],
    }
