"""Forms of the jury pages: the review grid (one 1–5 score and a comment per criterion)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .jury import SCORE_MAX, SCORE_MIN

COMMENT_MAX_LENGTH = 5000


class ReviewForm(forms.Form):
    """Scores of one review; fields ``score_<criterion id>`` and ``comment_<criterion id>``.

    Validation of completeness (every criterion scored at submission) is the service's job
    (``jury.review_save``): a draft may be partial. Its errors come back keyed by field name.
    """

    comment = forms.CharField(
        label=_("Avis général"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "fr-input"}),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        choices = [(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.label,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=criterion.description,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Commentaire sur « %(label)s »") % {"label": criterion.label},
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2, "class": "fr-input"}),
            )

    def rows(self):
        """``(criterion, score field, comment field)`` per criterion, for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def service_kwargs(self) -> dict:
        """The cleaned data as ``jury.review_save`` keyword arguments."""
        data = self.cleaned_data
        return {
            "scores": {c.pk: data.get(f"score_{c.pk}") for c in self.criteria},
            "score_comments": {c.pk: data.get(f"comment_{c.pk}", "") for c in self.criteria},
            "comment": data.get("comment", ""),
        }

    @classmethod
    def initial_from(cls, review) -> dict:
        """Initial values from a saved review (or {})."""
        if review is None:
            return {}
        initial = {"comment": review.comment}
        for score in review.scores.all():
            initial[f"score_{score.criterion_id}"] = score.score
            initial[f"comment_{score.criterion_id}"] = score.comment
        return initial


class ConflictForm(forms.Form):
    """Confirmation of a conflict of interest (irreversible)."""

    confirm = forms.BooleanField(
        label=_(
            "Je déclare un conflit d'intérêts avec cette candidature et ne participerai pas à "
            "son évaluation."
        ),
        required=True,
        error_messages={"required": _("Cochez la case pour confirmer la déclaration.")},
    )
