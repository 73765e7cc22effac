"""Forms of the admin actions on proposals (messages to the agents, jurors to assign)."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from challenges.calls import jury as jury_services


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message à l'administration"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        required=True,
    )


class OptionalMessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message à l'administration (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        required=False,
    )


class AssignJurorsForm(forms.Form):
    jurors = forms.ModelMultipleChoiceField(
        label=_("Membres du jury"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Comptes du groupe « jury » et coordinateurs. Une personne manque ? « Inviter un "
            "membre du jury », en haut de la liste des candidatures."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurors"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(groups__name=jury_services.JURY_GROUP) | Q(is_staff=True))
            .distinct()
            .order_by("last_name", "email")
        )
        self.fields["jurors"].label_from_instance = lambda u: (
            f"{u.get_full_name()} <{u.email}>" if u.get_full_name() else u.email or u.username
        )
