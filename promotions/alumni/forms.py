"""The alumni's own entry form (validate and normalise only)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AlumniProfile, AlumniSituation


class AlumniEntryForm(forms.Form):
    """Directory entry and current situation."""

    is_listed = forms.BooleanField(
        label=_("Je souhaite figurer dans l'annuaire des alumni"), required=False
    )
    current_position = forms.CharField(label=_("Poste actuel"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Structure"), max_length=200, required=False)
    situation = forms.ChoiceField(
        label=_("Situation actuelle"), choices=AlumniSituation.Situation.choices
    )
    situation_detail = forms.CharField(label=_("Précision"), max_length=300, required=False)
    contact_preference = forms.ChoiceField(
        label=_("Comment être contacté·e"), choices=AlumniProfile.Contact.choices
    )
    contact_detail = forms.CharField(
        label=_("Courriel ou adresse du profil en ligne"), max_length=300, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        """A contact detail is needed unless the person does not want to be contacted."""
        data = super().clean()
        if data.get("contact_preference") not in (None, "none") and not data.get("contact_detail"):
            self.add_error("contact_detail", _("Indiquez comment vous joindre."))
        return data
