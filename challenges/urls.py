"""Public URLs of défis."""

from django.urls import path, register_converter

from . import views


class UnicodeSlugConverter:
    """A défi slug (``SlugField(allow_unicode=True)``: letters, digits, ``-`` and ``_``); any
    other character (e.g. NUL, which PostgreSQL refuses) is a 404 before reaching the database."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "challenges"

urlpatterns = [
    path("", views.challenge_list_view, name="list"),
    path("<uslug:slug>/", views.challenge_detail_view, name="detail"),
]
