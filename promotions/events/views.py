"""Pages of the support programme.

Personal links (no account): answer an invitation, see one's promotion calendar and download
one's ``.ics`` feed. Coordinators (staff): the events list and the roll call, which works on a
phone (375 px).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from eig_portal.common.access import coordinator_required
from promotions.links import personal_link_page

from . import selectors, services
from .forms import AnswerForm, RollCallForm
from .ics import ics_bytes
from .models import Event


@require_http_methods(["GET", "POST"])
@personal_link_page(selectors.event_invitation_by_token)
def invitation_answer_view(request, invitation, token):
    """Show the event and record the person's yes/no (waiting list when full)."""
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.event_invitation_answer(
                invitation=invitation, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if invitation.is_waitlisted:
                messages.warning(
                    request, _("L'événement est complet : vous êtes en liste d'attente.")
                )
            else:
                messages.success(request, _("Votre réponse est enregistrée."))
        return redirect("events:answer", token=token)
    return render(
        request,
        "promotions/event_invitation_answer.html",
        {
            "invitation": invitation,
            "event": invitation.event,
            "token": token,
            "form": form,
            "has_started": timezone.now() >= invitation.event.starts_at,
        },
    )


@require_safe
@personal_link_page(selectors.calendar_feed_by_token)
def calendar_view(request, feed, token):
    """The person's promotion calendar: the events they are invited to, and the feed link."""
    person = feed.fellow or feed.mentor
    return render(
        request,
        "promotions/event_calendar.html",
        {"person": person, "events": selectors.person_events(person), "token": token},
    )


@require_safe
@personal_link_page(selectors.calendar_feed_by_token)
def calendar_feed_view(request, feed, token):
    """The person's events as an ``.ics`` feed (for a calendar subscription)."""
    person = feed.fellow or feed.mentor
    body = ics_bytes(selectors.person_events(person), name=_("Programme EIG"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="programme-eig.ics"'
    return response


@require_safe
@personal_link_page(selectors.event_invitation_by_token)
def invitation_ics_view(request, invitation, token):
    """One event as an ``.ics`` file."""
    response = HttpResponse(ics_bytes([invitation.event]), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="evenement-{invitation.event_id}.ics"'
    return response


@require_safe
@coordinator_required("promotions.view_event")
def event_list_view(request):
    """Coordinators: the events, newest first, with their seat counts."""
    events = selectors.events_with_seats().order_by("-starts_at")
    return render(request, "promotions/event_list.html", {"events": events})


@require_http_methods(["GET", "POST"])
@coordinator_required("promotions.change_eventinvitation")
def roll_call_view(request, pk):
    """Coordinators: tick who is present, then record the roll call in one go."""
    event = get_object_or_404(Event.objects.select_related("promotion"), pk=pk)
    invitations = list(selectors.roll_call(event))
    form = RollCallForm(request.POST or None, invitations=invitations)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.event_attendance_record(
                event=event, present_ids=form.cleaned_data["present"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "Appel enregistré : %(n)d personne présente.",
                    "Appel enregistré : %(n)d personnes présentes.",
                    count,
                )
                % {"n": count},
            )
        return redirect("events:roll_call", pk=event.pk)
    return render(
        request,
        "promotions/event_roll_call.html",
        {"event": event, "invitations": invitations, "form": form},
    )
