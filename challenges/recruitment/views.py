"""Pages of the call for candidates (thin views: access → form → one service → response)."""

from django.http import Http404


def call_detail_view(request, slug):
    raise Http404


def application_start_view(request, slug):
    raise Http404


def application_detail_view(request, pk):
    raise Http404


def interview_book_view(request, token):
    raise Http404
