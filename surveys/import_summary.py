"""The sentence that tells staff what an import of past answers did, with French plurals."""

from django.utils.translation import ngettext


def import_summary_text(summary) -> str:
    """« 1 réponse créée, 0 remplacée, 12 réponses aux questions. » for an ``ImportSummary``
    (``created``, ``updated``, ``answers``: counts of responses and answers)."""
    parts = [
        ngettext("%(n)d réponse créée", "%(n)d réponses créées", summary.created)
        % {"n": summary.created},
        ngettext("%(n)d remplacée", "%(n)d remplacées", summary.updated) % {"n": summary.updated},
        ngettext("%(n)d réponse aux questions", "%(n)d réponses aux questions", summary.answers)
        % {"n": summary.answers},
    ]
    return ", ".join(parts) + "."
