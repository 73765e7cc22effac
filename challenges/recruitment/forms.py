"""Forms of the call for candidates: candidate sign-up, the application's steps, the jury's
scores, interview slots. Forms validate and normalise only; the services write. They render
through crispy-forms with the ``dsfr_crispy`` template pack."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from .models import Application, CandidateProfile
from .services import MAX_MOTIVATION_CHARS

#: Step slug → title shown in the stepper.
STEP_TITLES: dict[str, str] = {
    "identite": _("Identité et profil"),
    "defis": _("Vos défis, par ordre de préférence"),
    "documents": _("CV, liens et disponibilité"),
    "depot": _("Vérification et dépôt"),
}
STEPS = list(STEP_TITLES)
MAX_CV_BYTES = 10 * 1024 * 1024


def _helper(form, *fields, legend=None) -> FormHelper:
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    if legend:
        helper.layout = Layout(Fieldset(str(legend), *fields))
    return helper


class CandidateSignupForm(forms.Form):
    """A candidate's account: name, email (verified by allauth), password."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(label=_("Adresse électronique"))
    password1 = forms.CharField(
        label=_("Mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.helper = _helper(self)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def email_is_taken(self) -> bool:
        """True when an account already uses the address (the page must not say so: the
        sign-up answers the same for a known address, see the view)."""
        from allauth.account.models import EmailAddress

        email = self.cleaned_data["email"]
        return (
            get_user_model().objects.filter(email__iexact=email).exists()
            or EmailAddress.objects.filter(email__iexact=email).exists()
        )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Les deux mots de passe diffèrent."))
        elif data.get("password1"):
            try:
                validate_password(data["password1"])
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class IdentityForm(forms.ModelForm):
    """Step 1: identity and profile."""

    class Meta:
        model = Application
        fields = ["first_name", "last_name", "email", "profile"]
        widgets = {"profile": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].choices = CandidateProfile.choices
        for field in self.fields.values():
            field.required = False
        self.helper = _helper(self, *self.fields, legend=STEP_TITLES["identite"])


class ChoicesForm(forms.Form):
    """Step 2: up to three défis ranked by preference, with a motivation for each."""

    def __init__(self, *args, openings, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = openings
        for rank in (1, 2, 3):
            self.fields[f"challenge_{rank}"] = forms.ModelChoiceField(
                label=_("Défi n° %(rank)s") % {"rank": rank},
                queryset=queryset,
                required=False,
                to_field_name="challenge_id",
                empty_label=_("— Aucun —"),
            )
            self.fields[f"motivation_{rank}"] = forms.CharField(
                label=_("Votre motivation pour le défi n° %(rank)s") % {"rank": rank},
                required=False,
                max_length=MAX_MOTIVATION_CHARS,
                help_text=_("3 000 caractères au plus."),
                widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_MOTIVATION_CHARS}),
            )
        if application is not None and not self.is_bound:
            for choice in application.choices.all():
                self.initial[f"challenge_{choice.rank}"] = choice.challenge_id
                self.initial[f"motivation_{choice.rank}"] = choice.motivation
        self.helper = _helper(self)
        self.helper.layout = Layout(
            *[
                Fieldset(
                    str(_("Préférence n° %(rank)s") % {"rank": rank}),
                    f"challenge_{rank}",
                    f"motivation_{rank}",
                )
                for rank in (1, 2, 3)
            ]
        )

    def clean(self):
        data = super().clean()
        seen = set()
        for rank in (1, 2, 3):
            opening = data.get(f"challenge_{rank}")
            if opening is None:
                if (data.get(f"motivation_{rank}") or "").strip():
                    self.add_error(
                        f"challenge_{rank}", _("Choisissez le défi de cette motivation.")
                    )
                continue
            if opening.challenge_id in seen:
                self.add_error(f"challenge_{rank}", _("Ce défi est déjà choisi."))
            seen.add(opening.challenge_id)
        return data

    def ranked_choices(self) -> list[tuple[int, str]]:
        """``[(challenge_id, motivation), …]`` in preference order, gaps removed."""
        return [
            (
                self.cleaned_data[f"challenge_{rank}"].challenge_id,
                (self.cleaned_data.get(f"motivation_{rank}") or "").strip(),
            )
            for rank in (1, 2, 3)
            if self.cleaned_data.get(f"challenge_{rank}") is not None
        ]


class DocumentsForm(forms.ModelForm):
    """Step 3: CV (PDF, 10 MB), links (valid URLs), availability, how they heard of us."""

    cv_file = forms.FileField(
        label=_("CV (PDF, 10 Mo au plus)"),
        required=False,
        help_text=_("Format PDF uniquement, vérifié par le contenu du fichier."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = Application
        fields = ["portfolio_url", "forge_url", "profile_url", "available_from", "heard_from"]
        widgets = {"available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "portfolio_url": _("Adresse complète, par exemple https://exemple.fr"),
            "forge_url": _("Votre page sur une forge de code (GitHub, GitLab…)."),
            "profile_url": _("Une page de profil professionnel."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].required = False
        self.helper = _helper(self, "cv_file", *self.Meta.fields, legend=STEP_TITLES["documents"])

    def clean_cv_file(self):
        from challenges.calls.services import attachment_validate

        uploaded = self.cleaned_data.get("cv_file")
        if uploaded:
            attachment_validate(uploaded)
        return uploaded


class SubmitForm(forms.Form):
    """Step 4: the personal-data notice acknowledged, and the version the form was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    notice = forms.BooleanField(
        label=_(
            "J'ai lu la notice sur mes données personnelles (finalité, durée de conservation)."
        ),
        required=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self)


class MessageForm(forms.Form):
    """An optional message (withdrawal reason, decision note)."""

    message = forms.CharField(
        label=_("Message (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self)


class ReviewForm(forms.Form):
    """A jury member's scores (1–5) on the call's weighted criteria, and a general opinion."""

    comment = forms.CharField(
        label=_("Avis général"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, criteria, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        existing = {s.criterion_id: s.score for s in review.scores.all()} if review else {}
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.label} (×{criterion.weight:g})",
                choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=criterion.description,
            )
            self.initial.setdefault(f"score_{criterion.pk}", existing.get(criterion.pk))
        if review is not None:
            self.initial.setdefault("comment", review.comment)
        self.helper = _helper(self)

    def scores(self) -> dict[int, int | None]:
        """``{criterion id: score or None}``."""
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}


class SlotForm(forms.Form):
    """An interview slot: start and end (Paris time), place or video link."""

    starts_at = forms.DateTimeField(
        label=_("Début (heure de Paris)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Fin (heure de Paris)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Lieu"), required=False, max_length=300)
    video_url = forms.URLField(label=_("Lien de visioconférence"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("La fin doit suivre le début."))
        if not data.get("place") and not data.get("video_url"):
            self.add_error("place", _("Indiquez un lieu ou un lien de visioconférence."))
        return data
