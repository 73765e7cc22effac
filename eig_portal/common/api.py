"""Shared pieces of the open-data API (/api/v1/): pagination, CSV renderer, list view base.

A list endpoint built on ``OpenDataListView`` answers JSON (paginated: ``count``, ``next``,
``previous``, ``results``; ``?page_size=`` up to 1000) and CSV with ``?format=csv`` (every row
matching the filters, not paginated, UTF-8 with BOM, ``&sep=;`` for French spreadsheets,
downloaded as ``<csv_filename>``), through ``eig_portal.common.cells``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer

from .cells import csv_bytes


class OpenDataPagination(PageNumberPagination):
    """50 rows a page by default; ``?page_size=`` up to 1000."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


def _flat(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return " | ".join(str(_flat(v)) for v in value)
    if isinstance(value, dict):
        return " | ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    return value


class CSVRenderer(BaseRenderer):
    """Renders a list of flat objects as CSV (lists joined with `` | ``; see module doc)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        """CSV bytes of the rows (or key/value rows for a dict); ``?sep=;`` for semicolons."""
        renderer_context = renderer_context or {}
        request = renderer_context.get("request")
        sep = (
            ";"
            if request is not None and request.query_params.get("sep") in (";", "semicolon")
            else ","
        )
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        if isinstance(data, dict):  # an error or a single object: key, value rows
            return csv_bytes(
                header=["key", "value"], rows=[[k, _flat(v)] for k, v in data.items()], sep=sep
            )
        rows = list(data or [])
        header = list(rows[0].keys()) if rows else self._field_names(renderer_context)
        return csv_bytes(
            header=header, rows=[[_flat(row.get(h)) for h in header] for row in rows], sep=sep
        )

    @staticmethod
    def _field_names(renderer_context) -> list[str]:
        view = renderer_context.get("view")
        if view is not None and hasattr(view, "get_serializer"):
            return list(view.get_serializer().fields)
        return []


class OpenDataListView(generics.ListAPIView):
    """Public, read-only, paginated list; CSV download with ``?format=csv``."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # public data: no session, no CSRF
    pagination_class = OpenDataPagination
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    csv_filename = "export.csv"

    def paginate_queryset(self, queryset):
        """No pagination for CSV (every matching row); else the page of ``?page=``."""
        if getattr(self.request.accepted_renderer, "format", None) == "csv":
            return None
        return super().paginate_queryset(queryset)

    def finalize_response(self, request, response, *args, **kwargs):
        """For CSV, add ``Content-Disposition: attachment`` named ``csv_filename``."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            getattr(request, "accepted_renderer", None) is not None
            and request.accepted_renderer.format == "csv"
        ):
            response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}"'
        return response


class ApiDocsView(SpectacularRedocView):
    """The API documentation (Redoc, served by the portal through drf-spectacular-sidecar).

    Redoc's menu shows a logo fetched from cdn.redoc.ly; the Content-Security-Policy keeps
    every request on the portal (the logo is simply not shown).
    """

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        """The Redoc page with a Content-Security-Policy limited to the portal."""
        response = super().get(request, *args, **kwargs)
        response["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; connect-src 'self'"
        )
        return response
