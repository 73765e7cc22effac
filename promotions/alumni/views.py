"""Alumni pages: the public opt-in directory and each person's own entry (personal link)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from promotions.links import personal_link_page

from . import selectors, services
from .forms import AlumniEntryForm


@require_safe
def directory_view(request):
    """The alumni who chose to be listed, with their current situation."""
    return render(
        request, "promotions/alumni_directory.html", {"alumni": selectors.alumni_directory()}
    )


def _initial(profile) -> dict:
    current = selectors.current_situation(profile)
    return {
        "is_listed": profile.is_listed,
        "current_position": profile.current_position,
        "organisation": profile.organisation,
        "contact_preference": profile.contact_preference,
        "contact_detail": profile.contact_detail,
        "situation": current.situation if current else "",
        "situation_detail": current.detail if current else "",
    }


@require_http_methods(["GET", "POST"])
@personal_link_page(selectors.alumni_profile_by_token)
def entry_edit_view(request, profile, token):
    """The person edits their own entry; a new situation is added to the history."""
    form = AlumniEntryForm(request.POST or None, initial=_initial(profile))
    if request.method == "POST" and form.is_valid():
        try:
            services.alumni_profile_update(profile=profile, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Votre fiche est enregistrée. Merci !"))
            return redirect("alumni:edit", token=token)
    return render(
        request,
        "promotions/alumni_edit.html",
        {
            "profile": profile,
            "form": form,
            "token": token,
            "situations": profile.situations.order_by("-as_of"),
        },
    )
