"""URLs of the benchmark's site: the portal plus reference views (see ``bench_site``).

- ``/bench/trivial/``: one ``SELECT 1``, a short plain-text body — what any page costs at least.
- ``/bench/post/``: the floor of a form saved by POST: the CSRF check, the form's fields read
  (``request.POST``) and a 302, no query.
- ``/bench/write/?slot=N``: that floor plus the least a section save writes, in raw SQL: one
  transaction updating one row of ``bench_write_row`` and upserting 10 rows of
  ``bench_write_item`` (``INSERT … ON CONFLICT DO UPDATE``), then the commit. The tables are
  created by ``bench_section_save.py``.
"""

from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import include, path
from django.views.decorators.http import require_POST


def trivial(request):
    """The reference page: one ``SELECT 1``, a short plain-text body."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def bare_post(request):
    """CSRF-checked POST (by the middleware), every field read, 302: no query."""
    fields = sum(len(request.POST.getlist(key)) for key in request.POST)
    return HttpResponseRedirect(f"/bench/trivial/?fields={fields}")


@require_POST
def bare_write(request):
    """:func:`bare_post` plus one transaction: an ``UPDATE`` and a 10-row upsert (raw SQL)."""
    slot = int(request.GET.get("slot", "0"))
    texts = [request.POST.get(key, "") for key in list(request.POST)[:10]]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE bench_write_row SET saves = saves + 1 WHERE id = %s", [slot])
        cursor.execute(
            """INSERT INTO bench_write_item (row_id, item, text)
            SELECT %s, i, t FROM unnest(%s::int[], %s::text[]) AS u(i, t)
            ON CONFLICT (row_id, item) DO UPDATE SET text = EXCLUDED.text""",
            [slot, list(range(len(texts))), texts],
        )
    return HttpResponseRedirect("/bench/trivial/")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench_trivial"),
    path("bench/post/", bare_post, name="bench_post"),
    path("bench/write/", bare_write, name="bench_write"),
    path("", include("eig_portal.urls")),
]
