"""Forms of the personal-data pages (validate and normalise only)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PersonLookupForm(forms.Form):
    """The address of the person whose data a coordinator exports or erases."""

    email = forms.EmailField(label=_("Adresse électronique de la personne"))


class ErasureForm(PersonLookupForm):
    """Confirmation of an erasure on request, with its reason."""

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
