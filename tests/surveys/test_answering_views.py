"""Answering pages: personal link access, one section per page, save and resume, review, submit once."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from surveys.models import Answer, Invitation, Response
from surveys.services import invitation_invalidate

pytestmark = pytest.mark.django_db


def url(name, token, *args):
    return reverse(f"surveys:{name}", args=[token, *args])


def test_guessed_token_gets_404(client, small_survey, make_invitation):
    make_invitation(small_survey)
    assert client.get("/questionnaires/r/not-a-real-token/").status_code == 404
    assert client.get("/questionnaires/r/" + "A" * 43 + "/section/1/").status_code == 404
    assert client.get("/questionnaires/r/" + "x" * 500 + "/").status_code == 404


def test_invalidated_token_gets_404_on_every_page(client, small_survey, make_invitation):
    invitation, token = make_invitation(small_survey)
    assert client.get(url("start", token)).status_code == 200
    invitation_invalidate(invitation=invitation)
    for name, args in [
        ("start", []),
        ("section", [1]),
        ("review", []),
        ("done", []),
        ("saved", []),
    ]:
        assert client.get(url(name, token, *args)).status_code == 404
    assert client.post(url("section", token, 1), {"happy": "yes"}).status_code == 404
    assert not Response.objects.exists()


def test_first_visit_records_opened_at_and_headers_keep_token_private(
    client, small_survey, make_invitation
):
    invitation, token = make_invitation(small_survey)
    page = client.get(url("start", token))
    invitation.refresh_from_db()
    assert invitation.opened_at is not None
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-store" in page["Cache-Control"]
    assert "Commencer" in page.content.decode()


def test_missing_required_answer_keeps_typed_text_and_saves_nothing(
    client, small_survey, make_invitation
):
    _, token = make_invitation(small_survey)
    page = client.post(url("section", token, 1), {"action": "next", "why_not": "Parce que 🙂"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Cette question est obligatoire" in body
    assert "Parce que 🙂" in body
    assert not Answer.objects.exists()


def test_two_sittings_then_submit_once(client, small_survey, make_invitation):
    invitation, token = make_invitation(small_survey)
    long_text = ("Élan, cœur, 😀 ; " * 700)[:9_999] + "!"
    page = client.post(
        url("section", token, 1),
        {"action": "next", "happy": "no", "why_not": long_text, "colour": "red"},
    )
    assert page.status_code == 302 and page["Location"] == url("section", token, 2)
    response = Response.objects.get()
    assert response.invitation == invitation and response.role == "fellow"
    assert response.promotion == invitation.promotion
    assert Answer.objects.get(question__code="why_not").text == long_text

    # « Enregistrer et continuer plus tard » on section 2 keeps a partial page.
    page = client.post(url("section", token, 2), {"action": "save_later", "tools": ["git", "r"]})
    assert page["Location"] == url("saved", token)
    saved = client.get(url("saved", token)).content.decode()
    assert token in saved

    # Second sitting: the start page resumes at section 2 with its answers.
    start = client.get(url("start", token)).content.decode()
    assert url("section", token, 2) in start
    section2 = client.get(url("section", token, 2)).content.decode()
    assert 'value="git" id="id_tools_0" checked' in section2

    page = client.post(
        url("section", token, 2),
        {"action": "next", "rating": "4", "tools": ["git", "r"], "hours": "12,5", "remark": "ok"},
    )
    assert page["Location"] == url("review", token)
    review = client.get(url("review", token)).content.decode()
    assert "Rouge" in review and "Git ; R" in review and "4 / 5" in review and "12,5 h" in review

    assert client.post(url("review", token))["Location"] == url("done", token)
    response.refresh_from_db()
    assert response.status == "submitted" and response.submitted_at

    # Back button / second click / second tab: nothing changes, still one response.
    again = client.post(url("review", token), follow=True)
    assert "avait déjà été envoyée" in again.content.decode()
    second_tab = client.post(
        url("section", token, 1), {"action": "next", "happy": "no", "why_not": "tapé après l'envoi"}
    )
    body = second_tab.content.decode()
    assert second_tab.status_code == 200 and "déjà été envoyées" in body
    assert "tapé après l&#x27;envoi" in body  # kept on the page, not saved
    assert not Answer.objects.filter(text="tapé après l'envoi").exists()
    assert client.get(url("section", token, 1))["Location"] == url("done", token)
    assert Response.objects.count() == 1
    assert Answer.objects.get(question__code="happy").boolean is False
    done = client.get(url("done", token)).content.decode()
    assert "lecture seule" in done and "<form" not in done.split('id="content"')[1]


def test_answer_of_a_hidden_conditional_question_is_dropped(client, small_survey, make_invitation):
    _, token = make_invitation(small_survey)
    client.post(url("section", token, 1), {"action": "next", "happy": "no", "why_not": "trop loin"})
    assert Answer.objects.filter(question__code="why_not").exists()
    client.post(
        url("section", token, 1), {"action": "next", "happy": "yes", "why_not": "trop loin"}
    )
    assert not Answer.objects.filter(question__code="why_not").exists()


def test_text_over_10000_characters_is_refused(client, small_survey, make_invitation):
    _, token = make_invitation(small_survey)
    page = client.post(
        url("section", token, 1), {"action": "next", "happy": "no", "why_not": "é" * 10_001}
    )
    assert page.status_code == 200
    assert "10000" in page.content.decode() or "10 000" in page.content.decode()
    assert not Answer.objects.exists()


def test_submit_refused_while_required_answers_are_missing(client, small_survey, make_invitation):
    _, token = make_invitation(small_survey)
    client.post(url("section", token, 1), {"action": "save_later", "colour": "blue"})
    page = client.post(url("review", token))
    assert page.status_code == 422
    assert "Content·e ?" in page.content.decode()
    assert Response.objects.get().status == "in_progress"


def test_one_persons_link_never_shows_anothers_answers(
    client, small_survey, make_invitation, people
):
    fellows, _ = people
    _, token_a = make_invitation(small_survey, fellows[0])
    inv_b, token_b = make_invitation(small_survey, fellows[1])
    client.post(
        url("section", token_a, 1), {"action": "next", "happy": "no", "why_not": "secret d'Alice"}
    )
    for name, args in [("start", []), ("section", [1]), ("review", [])]:
        assert "secret d'Alice" not in client.get(url(name, token_b, *args)).content.decode()
    client.post(url("section", token_b, 1), {"action": "next", "happy": "yes"})
    alice = Response.objects.get(invitation__fellow=fellows[0])
    assert Answer.objects.get(response=alice, question__code="why_not").text == "secret d'Alice"
    assert Answer.objects.get(response=alice, question__code="happy").boolean is False
    assert Response.objects.get(invitation=inv_b).answers.count() == 1


def test_closed_survey_says_so_and_keeps_saved_answers(client, small_survey, make_invitation):
    _, token = make_invitation(small_survey)
    client.post(
        url("section", token, 1), {"action": "save_later", "happy": "no", "why_not": "à garder"}
    )
    small_survey.opens_at = timezone.now() - timedelta(days=10)
    small_survey.closes_at = timezone.now() - timedelta(minutes=1)
    small_survey.save()
    assert client.get(url("section", token, 1))["Location"] == url("start", token)
    page = client.get(url("start", token)).content.decode()
    assert "Ce questionnaire est clos" in page and "à garder" in page
    late = client.post(
        url("section", token, 1), {"action": "next", "happy": "yes", "why_not": "tard"}
    )
    assert late.status_code == 200 and "Ce questionnaire est clos" in late.content.decode()
    assert "tard</textarea>" in late.content.decode()  # what was typed stays on the page
    client.post(url("review", token))
    assert Answer.objects.get(question__code="happy").boolean is False
    assert Response.objects.get().status == "in_progress"


def test_section_refused_at_save_comes_back_with_what_was_typed(
    client, small_survey, make_invitation, monkeypatch
):
    """The questionnaire closes (or another tab submits) between the page's check and the save:
    the page comes back with the typed text and the reason, nothing is written."""
    from django.core.exceptions import ValidationError

    from surveys import services

    _, token = make_invitation(small_survey)

    def closed_meanwhile(**kwargs):
        raise ValidationError("Ce questionnaire est clos depuis le 1er juin.")

    monkeypatch.setattr(services, "invitation_save_section", closed_meanwhile)
    page = client.post(
        url("section", token, 1), {"action": "next", "happy": "no", "why_not": "long texte tapé"}
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "long texte tapé" in body and "clos depuis le 1er juin" in body
    assert "copiez ce que vous avez écrit" in body
    assert "getElementById('form-errors')?.focus()" in body  # the alert takes the focus
    assert not Answer.objects.exists()


def test_a_section_posted_before_the_opening_says_not_yet_open(
    client, small_survey, make_invitation
):
    _, token = make_invitation(small_survey)
    page = client.get(url("section", token, 1))
    assert page.status_code == 200
    small_survey.opens_at = timezone.now() + timedelta(days=1)
    small_survey.save()
    early = client.post(
        url("section", token, 1), {"action": "next", "happy": "no", "why_not": "tôt"}
    )
    body = early.content.decode()
    assert early.status_code == 200 and "pas encore ouvert" in body and "est clos" not in body
    assert "tôt</textarea>" in body and not Answer.objects.exists()


def test_unknown_section_number_is_404(client, small_survey, make_invitation):
    _, token = make_invitation(small_survey)
    assert client.get(url("section", token, 3)).status_code == 404
    assert client.get(url("section", token, 0)).status_code == 404


def test_unsubscribe_needs_a_post(client, small_survey, make_invitation):
    invitation, token = make_invitation(small_survey)
    client.get(url("unsubscribe", token))
    invitation.refresh_from_db()
    assert not invitation.unsubscribed_from_reminders
    client.post(url("unsubscribe", token))
    invitation.refresh_from_db()
    assert invitation.unsubscribed_from_reminders


def test_section_page_query_count_is_bounded(
    client, surveys_2019, make_invitation, django_assert_max_num_queries
):
    fellows_survey = surveys_2019[0]
    _, token = make_invitation(fellows_survey)
    client.post(url("section", token, 1), {"action": "next", "production_status": "in_production"})
    with django_assert_max_num_queries(12):
        assert client.get(url("section", token, 2)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(url("review", token)).status_code == 200
    assert Invitation.objects.count() == 1


def test_start_page_links_to_the_personal_data_notice(client, small_survey, make_invitation):
    from eig_portal.pages import personal_data_url

    _, token = make_invitation(small_survey)
    html = client.get(url("start", token)).content.decode()
    main = html[: html.index('<footer class="fr-footer"')]
    assert f'href="{personal_data_url()}"' in main


def test_required_questions_are_exposed_to_assistive_technology(
    client, small_survey, make_invitation
):
    """Not only an aria-hidden « * »: a required radio group is a required radiogroup."""
    _, token = make_invitation(small_survey)
    first = client.get(url("section", token, 1)).content.decode()
    assert (
        '<fieldset class="fr-fieldset" id="id_happy" role="radiogroup" aria-required="true"'
        in first
    )
    assert 'id="id_colour" role="radiogroup"' not in first  # optional question
    second = client.get(url("section", token, 2)).content.decode()
    assert 'id="id_rating" role="radiogroup" aria-required="true"' in second


def test_a_required_text_question_carries_aria_required():
    from django import forms

    from surveys.forms import _expose_required

    text, radios = forms.CharField(required=False), forms.ChoiceField(widget=forms.RadioSelect)
    _expose_required(text)
    _expose_required(radios)
    assert 'aria-required="true"' in text.widget.render("q", "")
    assert radios.answer_required and "aria-required" not in radios.widget.attrs


#: Queries of a section save once the questionnaire's definition is in memory: 2 reads (the
#: invitation with its survey and response, the saved answers), the response's UPDATE, the
#: answers' upsert, the new multiple choices. Emptied answers and removed choices cost up to 4
#: more, only when they happen; the first page of a process reads the definition (3 more).
SECTION_SAVE_QUERIES = 5
SECTION_CHANGE_QUERIES = SECTION_SAVE_QUERIES + 4
DEFINITION_QUERIES = 3


@contextmanager
def statements_at_most(limit):
    """Fail if more than ``limit`` SQL statements run, not counting the SAVEPOINT / RELEASE
    that the test's own transaction turns the view's BEGIN / COMMIT into."""
    with CaptureQueriesContext(connection) as ctx:
        yield
    sqls = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sqls) <= limit, "\n".join(sqls)


def test_section_save_writes_answers_in_bulk_within_a_fixed_number_of_queries(
    client, small_survey, make_invitation
):
    """A section of four types (scale, multiple, number, text): at most 5 queries saved for the
    first time or saved again, 9 when a choice is removed and a text emptied — and what is
    stored is what was posted. The questionnaire's definition is read by the first page only."""
    _, token = make_invitation(small_survey)
    with statements_at_most(DEFINITION_QUERIES + SECTION_SAVE_QUERIES + 1):  # + the response
        client.post(url("section", token, 1), {"action": "next", "happy": "yes"})
    page2 = url("section", token, 2)
    first = {"action": "next", "rating": "4", "tools": ["git", "r"], "hours": "12,5"}
    with statements_at_most(SECTION_SAVE_QUERIES):
        assert client.post(page2, {**first, "remark": "Bien"}).status_code == 302
    with statements_at_most(SECTION_SAVE_QUERIES - 1):  # no new choice
        assert client.post(page2, {**first, "remark": "Bien", "rating": "5"}).status_code == 302
    with statements_at_most(SECTION_CHANGE_QUERIES):
        changed = {**first, "tools": ["python", "r"], "remark": ""}
        assert client.post(page2, changed).status_code == 302
    response = Response.objects.get()
    answers = {a.question.code: a for a in response.answers.select_related("question")}
    assert sorted(c.code for c in answers["tools"].choices.all()) == ["python", "r"]
    assert answers["rating"].number == 4 and str(answers["hours"].number.normalize()) == "12.5"
    assert "remark" not in answers and answers["happy"].boolean is True
    assert response.current_section.title == "Seconde partie"


def test_a_section_save_reads_nothing_twice_and_writes_no_session(
    client, small_survey, make_invitation
):
    """The save's reads: the invitation (with survey and response) and the answers, once each;
    no session row is read or written, no cookie but CSRF's is set."""
    _, token = make_invitation(small_survey)
    client.get(url("section", token, 1))
    client.post(url("section", token, 1), {"action": "next", "happy": "yes"})
    with CaptureQueriesContext(connection) as ctx:
        page = client.post(url("section", token, 1), {"action": "next", "happy": "no"})
    assert page.status_code == 302
    sqls = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    reads = [sql for sql in sqls if sql.startswith("SELECT")]
    assert len(reads) == 2, reads
    assert reads[0].startswith('SELECT "surveys_invitation"') and "surveys_answer" in reads[1]
    assert not any("django_session" in sql for sql in sqls)
    assert set(page.cookies) <= {"csrftoken"}


def test_required_questions_carry_the_announced_asterisk(client, small_survey, make_invitation):
    _, token = make_invitation(small_survey)
    body = client.get(url("section", token, 1)).content.decode()
    assert "marquées d'un astérisque (*)" in body
    # « Content·e ? » is required, « Couleur préférée » is not.
    assert 'Content·e ? <span aria-hidden="true">*</span>' in body
    assert 'Couleur préférée <span aria-hidden="true">*</span>' not in body
    # The error summary names the question without the asterisk.
    page = client.post(url("section", token, 1), {"action": "next"}).content.decode()
    summary = page.split('id="form-errors"')[1].split("</ul>")[0]
    assert "Content·e ? : Cette question est obligatoire." in summary
    assert "*" not in summary
    assert page.count('role="alert"') == 1  # the template pack's summary repeated it
    assert "Le formulaire contient" not in page


def test_number_limits_are_said_as_people_write_them(client, small_survey, make_invitation):
    _, token = make_invitation(small_survey)
    client.post(url("section", token, 1), {"action": "next", "happy": "yes"})
    page = client.post(url("section", token, 2), {"action": "next", "rating": "3", "hours": "80,5"})
    body = page.content.decode()
    assert "Saisissez un nombre inférieur ou égal à 80 h." in body
    assert "80.0000" not in body and "80,0000" not in body
    assert 'value="80,5"' in body  # what was typed is kept
    page = client.post(url("section", token, 2), {"action": "next", "rating": "3", "hours": "-1"})
    assert "supérieur ou égal à 0 h." in page.content.decode()


def test_review_and_done_pages_write_decimals_with_a_comma(client, small_survey, make_invitation):
    _, token = make_invitation(small_survey)
    client.post(url("section", token, 1), {"action": "next", "happy": "yes"})
    client.post(url("section", token, 2), {"action": "next", "rating": "3", "hours": "3,5"})
    assert "3,5 h" in client.get(url("review", token)).content.decode()
    client.post(url("review", token))
    done = client.get(url("done", token)).content.decode()
    assert "3,5 h" in done and "3.5 h" not in done
    # Back on an integer: no « ,0 ».
    assert Answer.objects.get(question__code="hours").number == 3.5


def test_10000_characters_with_line_breaks_as_the_browser_sends_them(
    client, small_survey, make_invitation
):
    """A textarea's maxlength counts a line break as 1 character; the browser posts CRLF."""
    _, token = make_invitation(small_survey)
    typed = "é" * 4_000 + "\r\n" + "😀" * 3_000 + "\r\n" + "a" * 2_998  # 10,000 once typed
    page = client.post(
        url("section", token, 1), {"action": "next", "happy": "no", "why_not": typed}
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    saved = Answer.objects.get(question__code="why_not").text
    assert len(saved) == 10_000 and "\r" not in saved
    page = client.post(
        url("section", token, 1), {"action": "next", "happy": "no", "why_not": typed + "b"}
    )
    assert page.status_code == 200 and "10001" in page.content.decode()


def _many_multiple_choices(sections=1, questions=110, options=10):
    return {
        "code": "grand",
        "title": "Grand questionnaire",
        "audience": ["fellows"],
        "sections": [
            {
                "title": f"Partie {s}",
                "questions": [
                    {
                        "code": f"q{s}_{q}",
                        "text": f"Question {q}",
                        "type": "multiple",
                        "choices": [
                            {"code": f"c{o}", "label": f"Option {o}"} for o in range(options)
                        ],
                    }
                    for q in range(questions)
                ],
            }
            for s in range(sections)
        ],
    }


def test_a_section_of_110_multiple_choice_questions_all_ticked_is_saved(client, make_invitation):
    from surveys.definition_files import survey_import_definition

    survey = survey_import_definition(data=_many_multiple_choices())
    invitation, token = make_invitation(survey)
    data = {"action": "next"}
    data.update({f"q0_{q}": [f"c{o}" for o in range(10)] for q in range(110)})

    response = client.post(url("section", token, 1), data)

    assert response.status_code == 302
    response_row = Response.objects.get(invitation=invitation)
    assert Answer.objects.filter(response=response_row).count() == 110
    assert all(a.choices.count() == 10 for a in Answer.objects.filter(response=response_row))


def test_the_builder_refuses_a_section_that_could_post_more_fields_than_a_page_accepts(settings):
    from surveys.definition_files import validate_definition

    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
    errors = validate_definition(_many_multiple_choices())
    assert any("sections[0].questions" in e and "1100" in e.replace("\u202f", "") for e in errors)
    assert validate_definition(_many_multiple_choices(questions=50)) == []


def test_start_page_and_stepper_count_the_same_steps(client, small_survey, make_invitation):
    import re

    _, token = make_invitation(small_survey)
    start = client.get(url("start", token)).content.decode()
    section = client.get(url("section", token, 1)).content.decode()

    total = re.search(r"Étape 1 sur (\d+)", section).group(1)
    assert re.search(rf"\b{total} étapes :", start)
    assert "2 parties à remplir, puis la relecture et l'envoi" in start
