"""Demo data of the surveys app, run by ``manage.py setup_demo`` (idempotent)."""

from django.db import transaction
from django.utils.translation import gettext as _

from .definition_files import load_shipped_2019_surveys
from .invitation_emails import invitation_links
from .models import Invitation, Response, Role
from .services import invitation_create


@transaction.atomic
def create_demo_survey():
    """Load the 2019 questionnaires (EIG 1 and 2) and a demo invitation per questionnaire.

    Returns the lines to print: the personal links to try the answering pages.
    """
    from promotions.models import Fellow, Mentor, Promotion

    fellows_survey, mentors_survey = load_shipped_2019_surveys()
    promotions = list(Promotion.objects.filter(code__in=["EIG 1", "EIG 2"]))
    for survey in (fellows_survey, mentors_survey):
        if promotions and not survey.promotions.exists():
            survey.promotions.set(promotions)
    lines = [
        _("Questionnaires 2019 chargés : %(fellows)s, %(mentors)s")
        % {"fellows": fellows_survey.code, "mentors": mentors_survey.code}
    ]

    for survey, role, people in (
        (fellows_survey, Role.FELLOW, Fellow.objects.order_by("promotion__rank", "pk")),
        (mentors_survey, Role.MENTOR, Mentor.objects.order_by("pk")),
    ):
        person = _person_who_has_not_answered(survey, people.filter(promotion__in=promotions))
        key = {"fellow": person} if role == Role.FELLOW else {"mentor": person}
        invitation = (
            Invitation.objects.filter(survey=survey, **key).first()
            if person
            else Invitation.objects.filter(survey=survey, email=f"demo-{role}@example.org").first()
        )
        if invitation is not None and _answered(invitation):
            lines.append(
                f"Lien personnel de démonstration ({survey.code}) : toutes les personnes "
                "invitées ont déjà répondu."
            )
            continue
        if invitation is None:
            email = (person.email if person else "") or f"demo-{role}@example.org"
            invitation = invitation_create(
                survey=survey,
                email=email,
                role=role,
                promotion=person.promotion if person else None,
                **(key if person else {}),
            )
        who = person.name if person else invitation.email
        lines.append(
            _("Lien personnel de démonstration (%(survey)s, %(who)s) : %(link)s")
            % {"survey": survey.code, "who": who, "link": invitation_links(invitation)["link"]}
        )
    return lines


def _answered(invitation: Invitation) -> bool:
    """True when the invitation's response has been sent (its link only shows the answers)."""
    return Response.objects.filter(invitation=invitation, status=Response.Status.SUBMITTED).exists()


def _person_who_has_not_answered(survey, people):
    """The first of ``people`` (EIG or mentors) without a sent response to ``survey``, or None:
    a demo link already used to answer would only show the answers."""
    answered = Response.objects.filter(
        survey=survey, status=Response.Status.SUBMITTED, invitation__isnull=False
    )
    field = "invitation__fellow" if people.model.__name__ == "Fellow" else "invitation__mentor"
    answered = answered.filter(**{f"{field}__isnull": False})
    return people.exclude(pk__in=answered.values(field)).first()
