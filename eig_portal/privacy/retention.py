"""The retention engine: announce due deletions, apply them when due, record each run.

For a rule with notices, an object whose retention ends within ``RETENTION_NOTICE_DAYS`` gets a
``RetentionNotice`` (and an email when the person has an address) due at
``max(anchor + retention, now + notice)``: a deletion is never done less than the notice period
after it was announced, even when the portal catches up late. A notice is applied once its
``due_at`` (which a coordinator may push back) has passed, if the object is still due then
(a person who logged in again is no longer due: the notice is cancelled). A notice whose email
did not go out (mail server down) is not applied: each run sends it again, and once it is sent
the deletion moves to at least the notice period later. Rules without notices remove what is
due at once.
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from eig_portal.common.emails import send_once
from eig_portal.common.models import NotificationLog

from .history import history_scrub
from .models import RetentionKind, RetentionNotice, RetentionRun
from .rules import RULES, Rule, notice_days

Counts = tuple[int, int]  # (removed, notified)


def _announce(rule: Rule, *, now: datetime, content_type, dry_run: bool) -> int:
    """Create the notices of objects due within the notice period; returns how many."""
    pending = RetentionNotice.objects.filter(
        kind=rule.kind, content_type=content_type, status=RetentionNotice.Status.PENDING
    ).values_list("object_id", flat=True)
    upcoming = list(rule.due_by(now + notice_days()).exclude(pk__in=pending))
    if dry_run:
        return len(upcoming)
    for obj in upcoming:
        notice = RetentionNotice.objects.create(
            kind=rule.kind,
            content_type=content_type,
            object_id=obj.pk,
            description=rule.describe(obj),
            recipient=rule.recipient(obj) if rule.email else "",
            due_at=max(rule.due_at(obj), now + notice_days()),
            notified_at=now,
        )
        if notice.recipient:
            transaction.on_commit(lambda pk=notice.pk: notice_send(notice_id=pk, now=now))
    return len(upcoming)


def _email_key(notice_id: int) -> str:
    return f"retention:{notice_id}"


def notice_send(*, notice_id: int, now: datetime) -> bool:
    """Email the announcement of notice ``notice_id`` once (idempotent); True if sent now.

    A notice sent late (a previous attempt failed) moves its deletion to at least
    ``now + RETENTION_NOTICE_DAYS``.
    """
    notice = RetentionNotice.objects.filter(pk=notice_id, status="pending").first()
    if notice is None or not notice.recipient:
        return False
    rule = RULES[notice.kind]
    sent = send_once(
        key=_email_key(notice.pk),
        name="retention_notice",
        recipients=[notice.recipient],
        context={"notice": notice, "what_goes": rule.what_goes, "kind": notice.get_kind_display()},
    )
    if sent and notice.due_at < now + notice_days():
        notice.due_at = now + notice_days()
        notice.notified_at = now
        notice.save(update_fields=["due_at", "notified_at"])
    return sent


def _unsent(notices: list[RetentionNotice]) -> set[int]:
    """Ids of notices with an address whose email is not in the outbox (never went out)."""
    keys = {_email_key(n.pk): n.pk for n in notices if n.recipient}
    sent = NotificationLog.objects.filter(key__in=keys).values_list("key", flat=True)
    return set(keys.values()) - {keys[k] for k in sent}


def _resend(rule: Rule, *, now: datetime, content_type, dry_run: bool) -> None:
    """Send again the rule's pending notices whose email never went out."""
    pending = RetentionNotice.objects.filter(
        kind=rule.kind, content_type=content_type, status=RetentionNotice.Status.PENDING
    ).exclude(recipient="")
    for notice_id in [] if dry_run else _unsent(list(pending)):
        transaction.on_commit(lambda pk=notice_id: notice_send(notice_id=pk, now=now))


def _apply_notices(rule: Rule, *, now: datetime, content_type, dry_run: bool) -> int:
    """Apply the rule's notices due at ``now``; cancel those whose object is no longer due."""
    notices = list(
        RetentionNotice.objects.filter(
            kind=rule.kind,
            content_type=content_type,
            status=RetentionNotice.Status.PENDING,
            due_at__lte=now,
        )
    )
    unsent = _unsent(notices)
    notices = [n for n in notices if n.pk not in unsent]
    ids = [n.object_id for n in notices]
    objects = list(rule.due_by(now).filter(pk__in=ids))
    if dry_run:
        return len(objects)
    removed = rule.remove(objects, now=now) if objects else 0
    still_due = {o.pk for o in objects}
    for notice in notices:
        done = notice.object_id in still_due
        notice.status = RetentionNotice.Status.APPLIED if done else RetentionNotice.Status.CANCELLED
        notice.recipient = ""
        notice.closed_at = now
        notice.save(update_fields=["status", "recipient", "closed_at"])
    return removed


def rule_apply(*, kind: str, now: datetime, dry_run: bool = False) -> Counts:
    """Run one retention rule at ``now``: ``(removed, notified)`` object counts."""
    if kind == RetentionKind.HISTORY:
        return history_scrub(now=now, dry_run=dry_run), 0
    rule = RULES[kind]
    if not rule.notice:
        due = list(rule.due_by(now))
        return (len(due) if dry_run else rule.remove(due, now=now)), 0
    content_type = ContentType.objects.get_for_model(rule.queryset().model)
    _resend(rule, now=now, content_type=content_type, dry_run=dry_run)
    removed = _apply_notices(rule, now=now, content_type=content_type, dry_run=dry_run)
    notified = _announce(rule, now=now, content_type=content_type, dry_run=dry_run)
    return removed, notified


def retention_apply(
    *, kinds: list[str] | None = None, now: datetime | None = None, dry_run: bool = False
) -> RetentionRun:
    """Run the rules ``kinds`` (default: all, history last) at ``now`` and record the run.

    Returns the saved ``RetentionRun`` (with ``dry_run`` it is returned unsaved). Each rule runs
    in its own transaction, so a failing rule leaves the others' work done.
    """
    now = now or timezone.now()
    kinds = kinds or list(RetentionKind.values)
    run = RetentionRun(now=now, kinds=kinds, dry_run=dry_run)
    for kind in kinds:
        with transaction.atomic():
            removed, notified = rule_apply(kind=kind, now=now, dry_run=dry_run)
        run.removed[kind] = removed
        run.notified[kind] = notified
    if not dry_run:
        run.save()
    return run
