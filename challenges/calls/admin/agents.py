"""Admin of agents' profiles (confirmation of their administration)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from challenges.calls.coordination import agent_profiles_confirm
from challenges.calls.models import (
    AgentProfile,
)
from eig_portal.common.admin_lists import PortalListMixin


@admin.register(AgentProfile)
class AgentProfileAdmin(PortalListMixin, admin.ModelAdmin):
    list_display = (
        "user",
        "user_email",
        "administration",
        "requested_administration_name",
        "position",
        "is_confirmed",
        "created_at",
    )
    list_filter = ("is_confirmed", "administration__is_confirmed")
    search_fields = ("user__email", "user__last_name", "administration__name", "position")
    list_select_related = ("user", "administration")
    autocomplete_fields = ("administration",)
    readonly_fields = ("user", "requested_administration_name", "created_at")
    actions = ["confirm"]

    @admin.display(description=_("courriel"), ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    @admin.action(description=_("Confirmer le rattachement (et l'administration demandée)"))
    def confirm(self, request, queryset):
        n = agent_profiles_confirm(profiles=queryset)
        self.message_user(
            request,
            ngettext("%(n)s agent confirmé.", "%(n)s agents confirmés.", n) % {"n": n},
            messages.SUCCESS,
        )
