"""Admin screens: what is due (notices, with a link to extend), runs and erasures (read-only)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import ErasureRecord, RetentionNotice, RetentionRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the retention rules and services only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionNotice)
class RetentionNoticeAdmin(ReadOnlyAdmin):
    """Due deletions: filter by rule and status; « Reporter » opens the extension form."""

    list_display = ("due_at", "kind", "description", "status", "notified_at", "extend_link")
    list_filter = ("status", "kind")
    search_fields = ("description",)
    date_hierarchy = "due_at"

    @admin.display(description=_("prolonger"))
    def extend_link(self, obj):
        if obj.status != RetentionNotice.Status.PENDING:
            return "—"
        url = reverse("privacy:notice_extend", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Reporter"))


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    """Each run and its counts per rule."""

    list_display = ("started_at", "now", "dry_run", "removed", "notified")


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdmin):
    """Erasures (by rule or on request), without the erased values."""

    list_display = ("erased_at", "content_type", "object_id", "kind", "by")
    list_filter = ("kind", "content_type")
