"""Pages of personal data: the public page, « Mes données », and the coordinators' pages
(register, a person's export and erasure, due deletions and their extension)."""

import json
from datetime import datetime, time
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .access import privacy_officer_required
from .export import person_export
from .forms import ErasureForm, ExtendForm, PersonLookupForm
from .models import RetentionNotice
from .register import historical_label, load_register, verbose_names
from .selectors import erasure_preview, notices_pending, people_named
from .services import notice_extend, person_erase


def _register_rows():
    """``[(first entry of the group, [(model name, field name, entry, historical label)])]``."""
    return [
        (group[0], [(*verbose_names(e), e, historical_label(e)) for e in group])
        for group in load_register().groups()
    ]


def _json_download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def public_page(request):
    """« Données personnelles »: what the portal keeps, why, how long, who reads it."""
    return render(request, "privacy/public.html", {"groups": _register_rows()})


@require_GET
@login_required
def my_data(request):
    """« Mes données »: the signed-in person's data and the download button."""
    return render(
        request, "privacy/my_data.html", {"data": person_export(email=request.user.email)}
    )


@require_GET
@login_required
def my_data_download(request):
    """The signed-in person's data as a JSON file."""
    return _json_download(person_export(email=request.user.email), "mes-donnees-portail-eig.json")


@require_GET
@privacy_officer_required
def register_page(request):
    """The full register for coordinators, with the not-personal allow-list."""
    register = load_register()
    return render(
        request,
        "privacy/register.html",
        {
            "groups": _register_rows(),
            "count": len(register.entries),
            "not_personal": sorted(register.not_personal.items()),
        },
    )


#: The erasure form sits on the lookup page: its own prefix keeps field ids unique.
ERASE_PREFIX = "erase"


def _target_query(target: dict) -> str:
    """The query string naming the person of ``target`` (for the export link)."""
    keys = {"email": "email", "fellow_id": "fellow", "mentor_id": "mentor"}
    return urlencode({keys[k]: v for k, v in target.items() if v})


@require_GET
@privacy_officer_required
def person_page(request):
    """Find a person (address, or name of an EIG or mentor record): preview of an erasure,
    links to export and erase."""
    form = PersonLookupForm(request.GET or None)
    context = {"form": form, "preview": None, "matches": None}
    if form.is_valid():
        if form.has_target():
            target = form.target()
            context["preview"] = erasure_preview(**target)
            context["target_query"] = _target_query(target)
            context["erase_form"] = ErasureForm(initial=form.cleaned_data, prefix=ERASE_PREFIX)
        else:
            context["matches"] = people_named(form.cleaned_data["name"])
    return render(request, "privacy/person.html", context)


@require_GET
@privacy_officer_required
def person_download(request):
    """A person's data (by address or record) as a JSON file, for someone without an account."""
    form = PersonLookupForm(request.GET)
    if not form.is_valid() or not form.has_target():
        return redirect("privacy:person")
    return _json_download(person_export(**form.target()), "donnees-personne.json")


@require_POST
@privacy_officer_required
def person_erase_view(request):
    """Erase a person on request, after the preview and an explicit confirmation."""
    form = ErasureForm(request.POST, prefix=ERASE_PREFIX)
    if form.is_valid():
        try:
            counts = person_erase(
                **form.target(), by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            total = sum(counts.values())
            messages.success(
                request,
                ngettext(
                    "Effacement fait : %(n)s objet traité.",
                    "Effacement fait : %(n)s objets traités.",
                    total,
                )
                % {"n": total},
            )
            return redirect("privacy:person")
    lookup = PersonLookupForm(request.POST, prefix=ERASE_PREFIX)
    target = lookup.target() if lookup.is_valid() and lookup.has_target() else None
    context = {
        "form": PersonLookupForm(initial=lookup.cleaned_data if target else None),
        "preview": erasure_preview(**target) if target else None,
        "target_query": _target_query(target) if target else "",
        "erase_form": form,
        "matches": None,
    }
    return render(request, "privacy/person.html", context, status=400)


@require_GET
@privacy_officer_required
def notice_list(request):
    """Due deletions, soonest first, each with a link to extend it."""
    return render(request, "privacy/notice_list.html", {"notices": notices_pending()[:500]})


@require_http_methods(["GET", "POST"])
@privacy_officer_required
def notice_extend_view(request, pk: int):
    """Push one pending deletion back (new date, reason)."""
    notice = get_object_or_404(RetentionNotice, pk=pk, status=RetentionNotice.Status.PENDING)
    form = ExtendForm(request.POST or None)
    if form.is_valid():
        due_at = timezone.make_aware(datetime.combine(form.cleaned_data["due_at"], time.min))
        try:
            notice_extend(
                notice=notice, by=request.user, due_at=due_at, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Suppression reportée."))
            return redirect("privacy:notices")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "privacy/notice_extend.html", {"notice": notice, "form": form}, status=status
    )
