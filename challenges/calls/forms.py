"""Forms of the call for projects (agent side): sign-up, proposal sections, attachments.

Forms only validate and normalise; the services write. Every form renders through crispy-forms
with the ``dsfr_crispy`` template pack (error summary at the top, errors beside each field).
"""

from __future__ import annotations

import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from promotions.models import Administration

from . import services
from .models import ChallengeProposal

#: Section slug → (title shown in the stepper, fields). The last two steps have no model fields.
SECTION_TITLES: dict[str, str] = {
    "defi": _("Le défi"),
    "environnement": _("Données et environnement technique"),
    "equipe": _("L'équipe"),
    "profils": _("Les profils recherchés"),
    "financement": _("Financement et pièces jointes"),
    "depot": _("Vérification et dépôt"),
}
STEPS: list[str] = list(SECTION_TITLES)

HELP_TEXTS = {
    "title": _("200 caractères au plus. Exemple : « Prévenir les ruptures d'approvisionnement »."),
    "summary": _("Une phrase qui dit ce que le défi va changer (300 caractères au plus)."),
    "context": _("La situation actuelle, le problème rencontré, par qui."),
    "objectives": _("Ce que le défi doit produire en 10 mois et l'impact attendu."),
    "beneficiaries": _("Les agents, usagers ou citoyens qui en bénéficieront."),
    "available_data": _("Les jeux de données disponibles, leur volume, leur format, leur accès."),
    "systems": _("Les applications, bases et outils existants avec lesquels travailler."),
    "environment_notes": _(
        "Ce que l'administration met en place pour adapter l'environnement de travail."
    ),
    "mentor_time_commitment": _("Par exemple : « deux demi-journées par semaine »."),
    "sponsor_time_commitment": _("Par exemple : « un point par mois »."),
    "cofunding_share": _("Pourcentage du coût pris en charge par l'administration (0 à 100)."),
}


def _field_hint(name: str) -> str:
    """The hint of a proposal field: its help text, and for the fields required at submission
    « Obligatoire pour déposer » — shown from the first display, drafts may leave it blank."""
    hint = str(HELP_TEXTS.get(name, ""))
    if name in services.REQUIRED_AT_SUBMISSION:
        hint = f"{_('Obligatoire pour déposer.')} {hint}".strip()
    return hint


class ProposalForm(forms.ModelForm):
    """The proposal's fields for the given sections, with the version it was loaded at.

    ``sections``: section slugs to include (default: all). ``for_submission=True`` makes the
    fields required at submission required here too and checks the profiles wanted.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    attachment = forms.FileField(
        label=_("Ajouter une pièce jointe (PDF, 10 Mo au plus)"),
        required=False,
        help_text=_("Format PDF uniquement, vérifié par le contenu du fichier."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = ChallengeProposal
        fields = services.EDITABLE_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 5})
            for name in (
                "context",
                "objectives",
                "beneficiaries",
                "available_data",
                "systems",
                "environment_notes",
                "profiles_notes",
                "funding_notes",
            )
        }

    def __init__(self, *args, sections=None, for_submission=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = list(sections or services.SECTION_FIELDS)
        keep = {f for s in self.sections for f in services.SECTION_FIELDS.get(s, [])}
        for name in list(self.fields):
            if name not in services.EDITABLE_FIELDS:
                continue  # version, attachment, creation_token
            if name not in keep:
                del self.fields[name]
            else:
                self.fields[name].required = False
                self.fields[name].help_text = _field_hint(name)
        if "financement" not in self.sections:
            del self.fields["attachment"]
        for name in ("developers_wanted", "designers_wanted", "data_scientists_wanted"):
            if name in self.fields:
                self.fields[name].widget.attrs.update(min=0, max=10)
                self.fields[name].validators.append(MaxValueValidator(10))
        if "cofunding_share" in self.fields:
            field = self.fields["cofunding_share"]
            field.widget.attrs.update(min=0, max=100, step="0.01")
            field.validators.extend([MinValueValidator(0), MaxValueValidator(100)])
        self.for_submission = for_submission
        if for_submission:
            for name in services.REQUIRED_AT_SUBMISSION:
                if name in self.fields:
                    self.fields[name].required = True
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "version",
            *[
                Fieldset(
                    str(SECTION_TITLES[s]),
                    *[f for f in services.SECTION_FIELDS[s] if f in self.fields],
                    *(["attachment"] if s == "financement" and "attachment" in self.fields else []),
                )
                for s in self.sections
            ],
        )

    def clean_attachment(self):
        uploaded = self.cleaned_data.get("attachment")
        if uploaded:
            services.attachment_validate(uploaded)
            # Checked here too, not only by ``attachment_add``: refused after the draft was saved,
            # the form would come back with an outdated version (a false « newer version » next).
            if self.instance.pk and self.instance.attachments.count() >= services.MAX_ATTACHMENTS:
                raise ValidationError(
                    _("%(n)s pièces jointes au plus.") % {"n": services.MAX_ATTACHMENTS},
                    code="too_many",
                )
        return uploaded

    def clean(self):
        data = super().clean()
        if self.for_submission and {"developers_wanted", "designers_wanted"} <= set(self.fields):
            total = sum(
                data.get(n) or 0
                for n in ("developers_wanted", "designers_wanted", "data_scientists_wanted")
            )
            if total < 1:
                self.add_error(
                    "developers_wanted",
                    _(
                        "Indiquez au moins un profil recherché (développeur·se, designer ou "
                        "data scientist)."
                    ),
                )
        return data

    def _post_clean(self):
        # Empty numbers in a draft are stored as 0 (counts) rather than refused.
        for name in ("developers_wanted", "designers_wanted", "data_scientists_wanted"):
            if name in self.cleaned_data and self.cleaned_data[name] is None:
                self.cleaned_data[name] = 0
        super()._post_clean()

    def draft_data(self) -> dict:
        """The cleaned values of the model fields of this form (for ``proposal_save_draft``)."""
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name in services.EDITABLE_FIELDS and name in self.cleaned_data
        }


class ProposalCreateForm(ProposalForm):
    """First step of a new proposal, carrying the one-time creation token (double POST safe)."""

    creation_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("sections", ["defi"])
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        self.helper.layout.fields[0] = "creation_token"
        if not self.is_bound:
            self.initial.setdefault("creation_token", uuid.uuid4())


class WithdrawForm(forms.Form):
    """Withdrawal of a proposal, with an optional explanation."""

    message = forms.CharField(
        label=_("Motif (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class AgentSignupForm(forms.Form):
    """Extra sign-up fields (allauth ``ACCOUNT_SIGNUP_FORM_CLASS``): the agent's administration."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    position = forms.CharField(label=_("Fonction"), max_length=200, required=False)
    administration = forms.ModelChoiceField(
        label=_("Votre administration"),
        queryset=Administration.objects.filter(is_confirmed=True).order_by("name"),
        required=False,
        empty_label=_("— Choisir dans la liste —"),
        help_text=_("Si elle n'est pas dans la liste, indiquez son nom dans le champ suivant."),
    )
    requested_administration_name = forms.CharField(
        label=_("Administration absente de la liste"),
        max_length=255,
        required=False,
        help_text=_("Son nom complet ; la coordination du programme la confirmera."),
    )

    field_order = [
        "email",
        "first_name",
        "last_name",
        "position",
        "administration",
        "requested_administration_name",
        "password1",
        "password2",
    ]

    def clean(self):
        data = super().clean()
        chosen = data.get("administration")
        requested = (data.get("requested_administration_name") or "").strip()
        if not chosen and not requested:
            self.add_error(
                "administration",
                _("Choisissez votre administration ou indiquez-en une absente de la liste."),
            )
        elif chosen and requested:
            self.add_error(
                "requested_administration_name",
                _("Choisissez dans la liste ou indiquez une autre administration, pas les deux."),
            )
        return data

    def signup(self, request, user):
        """Called by allauth once the user exists: name and administration link."""
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        try:
            services.agent_profile_create(
                user=user,
                administration=self.cleaned_data.get("administration"),
                requested_administration_name=self.cleaned_data.get(
                    "requested_administration_name", ""
                ),
                position=self.cleaned_data.get("position", ""),
            )
        except ValidationError:  # pragma: no cover — clean() already enforces the rule
            raise
