"""How many fields a questionnaire section may post at once (checked when it is built).

A section's page posts one field per question, except multiple-choice questions, which post
one field per ticked option (all may be ticked). Django refuses a request with more fields than
``settings.DATA_UPLOAD_MAX_NUMBER_FIELDS`` (a bare 400), so the builder refuses a section that
could exceed it: whatever the builder accepts can be saved.
"""

from collections.abc import Iterable

from django.conf import settings

#: Fields posted besides the answers: CSRF token, action button, and a margin.
FORM_OVERHEAD_FIELDS = 10


def section_max_fields() -> int:
    """The largest number of answer fields one section may post (the setting minus overhead).

    ``None`` in ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (no limit) gives a very large number.
    """
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return 10**9 if limit is None else limit - FORM_OVERHEAD_FIELDS


def section_field_count(questions: Iterable[dict]) -> int:
    """Fields one section posts at most, from definition dicts (``{"type", "choices"}``):
    one per question, one per option for a multiple-choice question."""
    total = 0
    for question in questions:
        choices = question.get("choices") if isinstance(question, dict) else None
        is_multiple = isinstance(question, dict) and question.get("type") == "multiple"
        total += len(choices) if is_multiple and isinstance(choices, list) else 1
    return total
