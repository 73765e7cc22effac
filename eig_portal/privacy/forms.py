"""Forms of the personal-data pages (validate and normalise only)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PersonLookupForm(forms.Form):
    """Who a coordinator exports or erases: an address, or one EIG or mentor record (people
    the portal knows without an address), or a name to find such a record."""

    email = forms.EmailField(label=_("Adresse électronique de la personne"), required=False)
    name = forms.CharField(
        label=_("Ou son nom (EIG ou mentor sans adresse connue)"), required=False, max_length=200
    )
    fellow = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    mentor = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def clean(self):
        """At least one of address, name or record."""
        data = super().clean()
        if not any(data.get(k) for k in ("email", "name", "fellow", "mentor")):
            raise forms.ValidationError(_("Indiquez une adresse électronique ou un nom."))
        return data

    def target(self) -> dict:
        """``{"email", "fellow_id", "mentor_id"}`` of the person (after validation)."""
        return {
            "email": self.cleaned_data.get("email") or "",
            "fellow_id": self.cleaned_data.get("fellow"),
            "mentor_id": self.cleaned_data.get("mentor"),
        }

    def has_target(self) -> bool:
        """True when an address or a record is given (a name alone only lists records)."""
        target = self.target()
        return bool(target["email"] or target["fellow_id"] or target["mentor_id"])


class ErasureForm(PersonLookupForm):
    """Confirmation of an erasure on request, with its reason."""

    name = None
    reason = forms.CharField(
        label=_("Motif (demande reçue le…, par…)"),
        help_text=_("Ne pas y écrire le nom de la personne."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    confirm = forms.BooleanField(
        label=_("Je confirme l'effacement : il ne peut pas être annulé."), required=True
    )


class ExtendForm(forms.Form):
    """A new date and a reason to push a due deletion back."""

    due_at = forms.DateField(
        label=_("Nouvelle date de suppression"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=_("Motif de la prolongation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
