"""Forms of the follow-up pages (validate and normalise only; crispy ``FormHelper`` here)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from .models import ExpertiseRequest, Outcome


def _helper(form) -> FormHelper:
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class ProgressUpdateForm(forms.Form):
    """A progress update."""

    progress = forms.CharField(label=_("Avancement"), widget=forms.Textarea(attrs={"rows": 4}))
    next_steps = forms.CharField(
        label=_("Prochaines étapes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    blockers = forms.CharField(
        label=_("Points de blocage"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    help_wanted = forms.CharField(
        label=_("Aide souhaitée"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_blocked = forms.BooleanField(
        label=_("Le défi est bloqué : prévenir la coordination"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self)


class ExpertiseRequestForm(forms.Form):
    """A request for help from the programme's experts."""

    topic = forms.ChoiceField(label=_("Sujet"), choices=ExpertiseRequest.Topic.choices)
    description = forms.CharField(
        label=_("Votre demande"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self)


class LinesField(forms.CharField):
    """One value per line → list of non-empty stripped strings; ``urls`` checks each value."""

    def __init__(self, *args, urls=False, **kwargs):
        self.urls = urls
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(*args, required=False, **kwargs)

    def prepare_value(self, value):
        """A list is shown one value per line."""
        return "\n".join(value) if isinstance(value, list) else value

    def clean(self, value):
        """The non-empty stripped lines; each must be an http(s) URL when ``urls``."""
        lines = [line.strip() for line in (super().clean(value) or "").splitlines()]
        lines = [line for line in lines if line]
        if self.urls:
            for line in lines:
                try:
                    URLValidator(schemes=["http", "https"])(line)
                except forms.ValidationError as exc:
                    raise forms.ValidationError(
                        _("Adresse invalide : %(value)s"), params={"value": line}
                    ) from exc
        return lines


MAINTAINED_CHOICES = [("", _("Je ne sais pas")), ("yes", _("Oui")), ("no", _("Non"))]


class OutcomeForm(forms.Form):
    """A défi's outcome (« réalisation »)."""

    production_status = forms.ChoiceField(
        label=_("État de production"), choices=Outcome.ProductionStatus.choices
    )
    maintained = forms.ChoiceField(
        label=_("Le produit est-il maintenu ?"), choices=MAINTAINED_CHOICES, required=False
    )
    maintenance = forms.ChoiceField(
        label=_("Par qui ?"), choices=Outcome.Maintenance.choices, required=False
    )
    maintenance_detail = forms.CharField(label=_("Précision"), max_length=300, required=False)
    users = forms.IntegerField(label=_("Nombre d'utilisateurs"), min_value=0, required=False)
    source_code_url = forms.URLField(label=_("Adresse du code source"), required=False)
    datasets = LinesField(label=_("Jeux de données ouverts (une adresse par ligne)"), urls=True)
    reused_by = LinesField(
        label=_("Réutilisations par d'autres administrations (une par ligne : qui, quoi)")
    )
    partnerships = forms.CharField(
        label=_("Partenariats"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self)

    def outcome_values(self) -> dict:
        """The cleaned data as keyword arguments of ``outcome_record``."""
        data = dict(self.cleaned_data)
        data["is_maintained"] = {"yes": True, "no": False}.get(data.pop("maintained"))
        return data

    @staticmethod
    def initial_from(outcome: Outcome | None) -> dict:
        """The form's initial values from an outcome (or none)."""
        if outcome is None:
            return {}
        maintained = {True: "yes", False: "no"}.get(outcome.is_maintained, "")
        fields = ("production_status", "maintenance", "maintenance_detail", "users")
        return {
            **{f: getattr(outcome, f) for f in fields},
            "maintained": maintained,
            "source_code_url": outcome.source_code_url,
            "datasets": outcome.datasets,
            "reused_by": outcome.reused_by,
            "partnerships": outcome.partnerships,
        }
