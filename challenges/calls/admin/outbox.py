"""Admin of the email outbox (read-only)."""

from django.contrib import admin

from challenges.calls.models import (
    NotificationLog,
)


@admin.register(NotificationLog)
class NotificationLogAdmin(admin.ModelAdmin):
    list_display = ("key", "recipients", "sent_at")
    search_fields = ("key", "recipients")
    date_hierarchy = "sent_at"
    readonly_fields = ("key", "recipients", "sent_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
