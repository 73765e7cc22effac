"""The page of an invitation link (``/comptes/invitation/<token>/``): the invited person chooses
their password and accepts the role (``eig_portal.common.invitations``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login, password_validation
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .invitations import role_invitation_accept, role_invitation_pending


class AcceptInvitationForm(forms.Form):
    """The password chosen by the invited person, typed twice."""

    password1 = forms.CharField(
        label=gettext_lazy("Mot de passe"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Confirmation du mot de passe"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        """The two passwords must match."""
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        return data


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token):
    """GET: the form (or « lien plus valable », 404); POST: accept, log in, go to the role's
    pages (``proposals:after_login``)."""
    invitation = role_invitation_pending(token)
    if invitation is None:
        return render(request, "account/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = role_invitation_accept(token=token, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            login(request, user, backend="eig_portal.common.auth_backend.PermissionsBackend")
            messages.success(request, _("Invitation acceptée : bienvenue sur le portail."))
            return redirect("proposals:after_login")
    return render(
        request, "account/invitation_accept.html", {"form": form, "invitation": invitation}
    )
