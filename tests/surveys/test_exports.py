"""Exports of all responses (CSV streamed, XLSX): cleaning, numbers, anonymity, queries."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from eig_portal.common.cells import EXCEL_CELL_LIMIT, TRUNCATED_MARKER, clean_text
from surveys.models import Response, Role
from tests.surveys.builders import build_2019_response_set, build_responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def set2019():
    return build_2019_response_set()


def get_csv(client, code, **params):
    response = client.get(reverse("survey_results:export_csv", args=[code]), params)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    sep = params.get("sep", ",")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=sep))


def get_xlsx(client, code):
    response = client.get(reverse("survey_results:export_xlsx", args=[code]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_csv_has_one_row_per_submitted_response_with_import_conventions(
    client, coordinator, set2019
):
    client.force_login(coordinator)
    rows = get_csv(client, "eig-2019-fellows")
    assert len(rows) == 21  # the 2 responses in progress are left out
    assert list(rows[0])[:6] == [
        "response",
        "respondent",
        "submitted_at",
        "role",
        "promotion",
        "source",
    ]
    assert {r["tech_env_adapted"] for r in rows} == {"yes", "no"}
    assert "user_research|agile|sprints" in {r["methods_used"] for r in rows}
    assert {r["datasets_opened"] for r in rows} >= {"0", "12", ""}
    assert sum(r["tech_env_adapted"] == "yes" for r in rows) == 14
    assert all(r["respondent"].endswith("@example.gouv.fr") for r in rows)


def test_csv_neutralises_formulas_and_keeps_unicode(client, coordinator, set2019):
    client.force_login(coordinator)
    comments = {r["comments"] for r in get_csv(client, "eig-2019-fellows")}
    assert '\'=HYPERLINK("http://exemple.invalid")' in comments
    assert "Super programme 🚀, merci à l'équipe !" in comments


def test_csv_with_semicolon(client, coordinator, set2019):
    client.force_login(coordinator)
    rows = get_csv(client, "eig-2019-mentors", sep=";")
    assert len(rows) == 13 and "tech_means_differ" in rows[0]


def test_control_characters_are_removed_line_breaks_kept():
    assert clean_text("a\x00b\x07c\x1bd\r\ne\tf\x85") == "abcd\ne f"
    assert clean_text("-1+1") == "'-1+1"
    assert clean_text("@SUM") == "'@SUM"


def test_xlsx_numbers_are_numbers_and_long_text_is_cut_with_a_marker(client, coordinator, set2019):
    survey = set2019["fellows"]
    long_text = "é" * (EXCEL_CELL_LIMIT + 500)
    build_responses(
        survey=survey,
        people=[(Role.FELLOW, set2019["eig2"])],
        answers={"comments": [long_text + "\x01"], "datasets_opened": [2.5]},
        respondent_prefix="long-",
    )
    client.force_login(coordinator)
    rows = get_xlsx(client, survey.code)
    assert len(rows) == 22
    numbers = [r["datasets_opened"] for r in rows if r["datasets_opened"] is not None]
    assert all(isinstance(v, int | float) for v in numbers) and 2.5 in numbers and 12 in numbers
    cut = next(r["comments"] for r in rows if r["comments"] and r["comments"].startswith("éé"))
    assert len(cut) == EXCEL_CELL_LIMIT and cut.endswith(TRUNCATED_MARKER)
    assert '\'=HYPERLINK("http://exemple.invalid")' in {r["comments"] for r in rows}
    # The CSV keeps the whole text (the limit is Excel's), without the control character.
    csv_cut = next(
        r["comments"] for r in get_csv(client, survey.code) if r["comments"].startswith("éé")
    )
    assert csv_cut == long_text


def test_anonymous_survey_exports_link_no_answer_to_a_person(client, coordinator, set2019):
    survey = set2019["fellows"]
    survey.is_anonymous = True
    survey.save()
    client.force_login(coordinator)
    public_ids = {str(p) for p in Response.objects.values_list("public_id", flat=True)}
    for rows in (get_csv(client, survey.code), get_xlsx(client, survey.code)):
        assert len(rows) == 21
        header = list(rows[0])
        assert "respondent" not in header and "submitted_at" not in header
        flat = " ".join(str(v) for r in rows for v in r.values())
        assert "@example.gouv.fr" not in flat
        assert not any(pid in flat for pid in public_ids)
        assert sorted(int(r["response"]) for r in rows) == list(range(1, 22))


@pytest.mark.parametrize("extra", [0, 120])
def test_csv_export_query_count_does_not_grow(
    extra, client, coordinator, set2019, django_assert_max_num_queries
):
    build_responses(
        survey=set2019["fellows"],
        people=[(Role.FELLOW, set2019["eig2"])] * extra,
        answers={"methods_used": [["agile", "sprints"]] * extra, "comments": ["x"] * extra},
        respondent_prefix="q-",
    )
    client.force_login(coordinator)
    url = reverse("survey_results:export_csv", args=["eig-2019-fellows"])
    # + 2: the coordinator's permissions (user's and groups').
    with django_assert_max_num_queries(9):
        body = b"".join(client.get(url).streaming_content)
    assert body.count(b"\r\n") == 1 + 21 + extra


def test_large_xlsx_export_through_celery_emails_a_staff_only_link(
    client, coordinator, set2019, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(coordinator)
    code = "eig-2019-fellows"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("survey_results:export_later", args=[code]))
    assert response.status_code == 302
    download = response["Location"]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["coord@example.gouv.fr"]
    assert download in mailoutbox[0].body
    rows = get_xlsx_from(client.get(download))
    assert len(rows) == 21
    # Running the task again for the same token changes nothing (idempotent).
    from surveys.export_files import export_xlsx_build

    token = download.rstrip("/").rsplit("/", 1)[1]
    assert (
        export_xlsx_build(survey_id=set2019["fellows"].pk, user_id=coordinator.pk, token=token)
        is False
    )
    assert len(mailoutbox) == 1
    # Not for non-staff, and an unknown token is only « being prepared », a bad one is 404.
    client.logout()
    assert client.get(download).status_code == 302
    client.force_login(coordinator)
    pending = client.get(reverse("survey_results:export_download", args=[code, "0" * 32]))
    assert pending.status_code == 200 and b"en pr\xc3\xa9paration" in pending.content
    bad = client.get(reverse("survey_results:export_download", args=[code, "..%2Fx"]))
    assert bad.status_code == 404


def get_xlsx_from(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.mark.parametrize("anonymous", [False, True])
@pytest.mark.parametrize("sep", [",", ";"])
def test_pivot_by_postgresql_writes_the_same_lines_as_the_python_fold(
    set2019, anonymous, sep, monkeypatch
):
    """The CSV export on PostgreSQL (rows pivoted by the database) and the portable one
    (answers folded in Python) give the same rows, hence the same file."""
    from django.db import connection

    from surveys import export_pivot, exports

    if connection.vendor != "postgresql":
        pytest.skip("the pivot runs on PostgreSQL only")
    survey = set2019["fellows"]
    survey.is_anonymous = anonymous
    survey.save()
    build_responses(
        survey=survey,
        people=[(Role.FELLOW, set2019["eig2"])] * 3,
        answers={
            "methods_used": [["sprints", "agile"], [], ["agile"]],
            "comments": ["=HYPERLINK(1)", "Ligne\r\nsuivante\x07", ""],
        },
        respondent_prefix="p-",
    )
    header, questions = exports.export_columns(survey)
    pivoted = list(exports.pivoted_rows(survey, questions))
    folded = list(exports.export_rows(survey, questions))
    monkeypatch.setattr(export_pivot, "CURSOR_ROWS", 5)  # five batches read ahead
    assert list(exports.pivoted_rows(survey, questions)) == pivoted
    assert len(pivoted) == 24 and ["=HYPERLINK(1)" in row for row in pivoted].count(True) == 1
    assert pivoted == folded  # same values, same types: the same cells in the file
    lines = list(exports.csv_lines(survey, sep=sep))
    assert len(lines) == 1 + 24 and "'=HYPERLINK(1)" in "".join(lines)


def _read_ahead_threads() -> int:
    import threading

    return sum(t.name == "export-read-ahead" for t in threading.enumerate())


def test_a_cancelled_download_stops_the_read_ahead_and_closes_its_transaction(set2019):
    """The person closes the download after the first rows: the fetching thread is stopped
    before the cursor and the transaction close, and the connection serves the next query."""
    from django.db import connection

    from surveys import export_pivot, exports
    from surveys.models import Response

    if connection.vendor != "postgresql":
        pytest.skip("the pivot runs on PostgreSQL only")
    survey = set2019["fellows"]
    header, questions = exports.export_columns(survey)
    savepoints = list(connection.savepoint_ids)
    rows = export_pivot.pivot_rows(survey, questions)
    next(rows)
    assert _read_ahead_threads() == 1 and len(connection.savepoint_ids) == len(savepoints) + 1
    rows.close()
    assert _read_ahead_threads() == 0 and connection.savepoint_ids == savepoints
    assert Response.objects.filter(survey=survey, status="submitted").count() == 21


def test_read_ahead_keeps_the_order_and_raises_the_fetch_error_in_the_reader():
    from surveys.export_pivot import _read_ahead

    batches = iter([[1, 2], [3], []])
    assert list(_read_ahead(lambda: next(batches))) == [[1, 2], [3]]

    def failing():
        failing.calls += 1
        if failing.calls == 3:
            raise RuntimeError("connexion perdue")
        return [failing.calls]

    failing.calls = 0
    seen = []
    with pytest.raises(RuntimeError, match="connexion perdue"):
        for batch in _read_ahead(failing):
            seen.append(batch)
    assert seen == [[1], [2]] and _read_ahead_threads() == 0
