"""Celery beat's crontab schedules in the admin, with every field checked by Celery's own parser
before saving (django-celery-beat saves « -1 » and then fails to display it)."""

from celery.schedules import ParseException, crontab
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import CrontabScheduleAdmin
from django_celery_beat.models import CrontabSchedule

CRONTAB_FIELDS = ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")


class CheckedCrontabForm(forms.ModelForm):
    """A crontab schedule whose fields Celery can parse (else a message on the form)."""

    class Meta:
        model = CrontabSchedule
        fields = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")

    def clean(self):
        """Parse the five fields with ``celery.schedules.crontab``; ``ValidationError`` if not."""
        data = super().clean()
        values = {name: data.get(name) for name in CRONTAB_FIELDS}
        if all(values.values()):
            try:
                crontab(**values)
            except (ParseException, ValueError) as error:
                raise ValidationError(
                    _("Planification illisible : %(error)s"), params={"error": error}
                ) from None
        return data


admin.site.unregister(CrontabSchedule)


@admin.register(CrontabSchedule)
class CheckedCrontabScheduleAdmin(CrontabScheduleAdmin):
    """django-celery-beat's crontab admin with ``CheckedCrontabForm``."""

    form = CheckedCrontabForm

    @admin.display(description=_("lisible"))
    def human_readable(self, obj):
        """The schedule in words, or « — » while its fields cannot be parsed."""
        try:
            return obj.human_readable
        except (ParseException, ValueError):
            return "—"
