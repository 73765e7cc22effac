"""``python manage.py apply_retention [--dry-run] [--now DATE] [--kind KIND ...]``."""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import ngettext

from eig_portal.privacy.models import RetentionKind
from eig_portal.privacy.retention import retention_apply


def parse_now(value: str) -> datetime:
    """``YYYY-MM-DD`` (midnight, Paris time) or an ISO 8601 datetime; ``CommandError`` else."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--now : date invalide « {value} » (AAAA-MM-JJ attendu)")
        moment = datetime.combine(day, time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    """Run the retention rules now (the same code as the scheduled Celery tasks)."""

    help = (
        "Applique les règles de conservation des données personnelles (les mêmes que les "
        "tâches planifiées) et affiche, par règle, ce qui est supprimé et annoncé."
    )

    def add_arguments(self, parser):
        """Options ``--dry-run``, ``--now DATE``, ``--kind`` (repeatable; default: all)."""
        parser.add_argument("--dry-run", action="store_true", help="compter sans rien modifier")
        parser.add_argument("--now", help="date de référence (AAAA-MM-JJ), par défaut maintenant")
        parser.add_argument("--kind", action="append", choices=list(RetentionKind.values))

    def handle(self, *args, dry_run=False, now=None, kind=None, **options):
        """Apply (or count) and print one line per rule."""
        moment = parse_now(now) if now else timezone.now()
        run = retention_apply(kinds=kind, now=moment, dry_run=dry_run)
        title = "Simulation" if dry_run else "Conservation"
        self.stdout.write(f"{title} au {timezone.localtime(moment):%Y-%m-%d %H:%M} :")
        for value in run.kinds:
            label = RetentionKind(value).label
            removed, notified = run.removed[value], run.notified[value]
            self.stdout.write(
                f"  {label} : "
                + ngettext("%(n)s supprimé", "%(n)s supprimés", removed) % {"n": removed}
                + ", "
                + ngettext("%(n)s annoncé", "%(n)s annoncés", notified) % {"n": notified}
            )
