"""Forms of the answering pages: one dynamic form per section (validate and normalise only).

Fields are named by question code. Every field is optional for Django so that « Enregistrer et
continuer plus tard » keeps a partial page; the view enforces required questions (visible ones)
when the person continues. Rendering: crispy-forms, ``dsfr_crispy`` pack; each question sits in a
``div`` carrying its ``show_if`` condition as data attributes for the small script that hides it.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import TEXT_MAX_LENGTH, Question
from .services import question_visible

YESNO_CHOICES = [("yes", gettext_lazy("Oui")), ("no", gettext_lazy("Non"))]


class _TextField(forms.CharField):
    """A text answer whose line breaks count as one character, as the browser counts them.

    A textarea's ``maxlength`` counts a line break as 1 but the browser submits it as CRLF:
    10,000 characters typed with line breaks were refused (« actuellement 10 012 »).
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


def number_text(value):
    """``Decimal("3.5000")`` → « 3,5 » (localised, no trailing zeros)."""
    value = value.normalize()
    if value == value.to_integral():
        value = value.quantize(1)
    return number_format(value, use_l10n=True, force_grouping=False)


def _number_validators(question):
    """Min/max validators whose messages say the limits as people write them (« 3,5 »)."""
    lo, hi, unit = question.number_min, question.number_max, question.unit
    validators = []
    if lo is not None:
        validators.append(
            MinValueValidator(
                lo,
                message=_("Saisissez un nombre supérieur ou égal à %(limit)s.")
                % {"limit": f"{number_text(lo)} {unit}".strip()},
            )
        )
    if hi is not None:
        validators.append(
            MaxValueValidator(
                hi,
                message=_("Saisissez un nombre inférieur ou égal à %(limit)s.")
                % {"limit": f"{number_text(hi)} {unit}".strip()},
            )
        )
    return validators


def _expose_required(field: forms.Field) -> None:
    """Tell assistive technology that a question must be answered before sending (the field
    stays optional for Django): ``aria-required`` on a text control; radio and checkbox groups
    are marked by the template pack from ``answer_required``."""
    field.answer_required = True
    if not isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        field.widget.attrs["aria-required"] = "true"


def _field_for(question: Question):
    qtype = question.type
    label = question.text
    if question.required:
        # The fields stay optional for Django (« continuer plus tard » keeps a partial page),
        # so the template pack cannot mark them: the label carries the asterisk announced above
        # the form.
        label = format_html('{} <span aria-hidden="true">*</span>', question.text)
    common = {"label": label, "required": False, "help_text": escape(question.help_text)}
    if qtype == Question.Type.SINGLE:
        return forms.ChoiceField(
            choices=[(c.code, c.label) for c in question.choices.all()],
            widget=forms.RadioSelect,
            **common,
        )
    if qtype == Question.Type.MULTIPLE:
        help_text = common.pop("help_text") or escape(_("Plusieurs réponses possibles."))
        return forms.MultipleChoiceField(
            choices=[(c.code, c.label) for c in question.choices.all()],
            widget=forms.CheckboxSelectMultiple,
            help_text=help_text,
            **common,
        )
    if qtype == Question.Type.YESNO:
        return forms.ChoiceField(choices=YESNO_CHOICES, widget=forms.RadioSelect, **common)
    if qtype == Question.Type.SCALE:
        lo, hi = question.scale_min or 1, question.scale_max or 5
        labels = {lo: question.min_label, hi: question.max_label}
        choices = [
            (str(i), f"{i} — {labels[i]}" if labels.get(i) else str(i)) for i in range(lo, hi + 1)
        ]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if qtype == Question.Type.NUMBER:
        hint = [common["help_text"]] if common["help_text"] else []
        if question.unit:
            hint.append(escape(_("En %(unit)s.") % {"unit": question.unit}))
        common["help_text"] = " ".join(hint)
        return forms.DecimalField(
            validators=_number_validators(question),
            max_digits=14,
            decimal_places=4,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **common,
        )
    if qtype == Question.Type.SHORT_TEXT:
        return _TextField(max_length=TEXT_MAX_LENGTH, strip=True, **common)
    common["help_text"] = " ".join(
        filter(None, [common["help_text"], escape(_("10 000 caractères au plus."))])
    )
    return _TextField(
        max_length=TEXT_MAX_LENGTH, strip=True, widget=forms.Textarea(attrs={"rows": 6}), **common
    )


class SectionForm(forms.Form):
    """The questions of one section; ``cleaned_values()`` gives ``{code: value}`` for services."""

    def __init__(self, *args, questions, all_questions, saved_values, **kwargs):
        initial = {}
        for q in questions:
            value = saved_values.get(q.code)
            if value is None:
                continue
            if q.type in (Question.Type.SCALE,) and value is not None:
                value = str(int(value))
            elif q.type == Question.Type.NUMBER:
                value = value.normalize()
            initial[q.code] = value
        super().__init__(*args, initial=initial, **kwargs)
        self.questions = questions
        self.saved_values = saved_values
        self.by_pk = {q.pk: q for q in all_questions}
        for q in questions:
            self.fields[q.code] = _field_for(q)
            self.fields[q.code].question_text = q.text  # error summary: text without « * »
            if q.required:
                self.fields[q.code].label_suffix = ""
                _expose_required(self.fields[q.code])

    @cached_property
    def helper(self):
        """crispy-forms layout, built when the form is rendered (a saved POST never is)."""
        helper = FormHelper(self)
        helper.form_tag = False
        helper.template = "surveys/includes/_section_form.html"  # one error summary, not two
        helper.layout = Layout(*(self._wrap(q) for q in self.questions))
        return helper

    def _wrap(self, q):
        attrs = {"css_class": "survey-question", "css_id": f"question-{q.code}"}
        if q.show_if_question_id:
            target = self.by_pk.get(q.show_if_question_id)
            attrs["data_show_if"] = target.code if target else ""
            attrs["data_show_if_value"] = q.show_if_value
        return Div(q.code, **attrs)

    def cleaned_values(self):
        """``{code: value}``: choice code, list of codes, "yes"/"no", Decimal, text or None."""
        values = {}
        for q in self.questions:
            value = self.cleaned_data.get(q.code)
            if q.type == Question.Type.SCALE and value not in (None, ""):
                value = int(value)
            values[q.code] = value if value not in ("", []) else None
        return values

    def check_required(self):
        """Add an error to every required question that is visible and unanswered; True if none."""
        values = {**self.saved_values, **self.cleaned_values()}
        ok = True
        for q in self.questions:
            if (
                q.required
                and values.get(q.code) is None
                and question_visible(q, values, self.by_pk)
                and q.code not in self.errors
            ):
                self.add_error(q.code, _("Cette question est obligatoire."))
                ok = False
        return ok
