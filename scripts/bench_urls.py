"""URLs of the benchmark's site: the portal plus ``/bench/trivial/`` (see ``bench_site``)."""

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    """The reference page: one ``SELECT 1``, a short plain-text body."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench_trivial"),
    path("", include("eig_portal.urls")),
]
