"""Forms of the support programme's pages (validate and normalise only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EventInvitation


class AnswerForm(forms.Form):
    """Yes or no to an invitation."""

    answer = forms.ChoiceField(
        label=_("Votre réponse"),
        choices=[
            (EventInvitation.Answer.YES, _("Oui")),
            (EventInvitation.Answer.NO, _("Non")),
        ],
    )


class RollCallForm(forms.Form):
    """The invitations ticked present (ids among the event's expected people)."""

    present = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, invitations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(i.pk, i.email) for i in invitations]
