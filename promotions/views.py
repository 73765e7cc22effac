"""Views of promotions: public list, open data page, staff dashboard. The promotion's own page
lists its défis: it is in the top layer (``eig_portal.promotion_pages``)."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from eig_portal.common.access import coordinator_required

from .models import Promotion
from .selectors import promotion_list_public


@require_safe
def promotion_list_view(request):
    """Public list of promotions with their counts of EIG, mentors and published défis."""
    return render(
        request, "promotions/promotion_list.html", {"promotions": promotion_list_public()}
    )


@require_safe
def open_data_view(request):
    """Public page listing the open data downloads and the API."""
    return render(request, "promotions/open_data.html")


@require_safe
@coordinator_required("promotions.view_promotion")
def dashboard_view(request):
    """Staff dashboard « Le programme en chiffres »: table, charts, filter, CSV/XLSX download.

    ``?promotion=<slug>`` (repeatable) filters the columns; ``?export=csv`` (with ``&sep=;``)
    or ``?export=xlsx`` downloads the table. Constant number of queries (promotions.figures);
    the figures and the rendered body are stored until their data change
    (``eig_portal.common.data_versions``), so a page read again costs one query for the versions.
    """
    from eig_portal.common import data_versions

    from .dashboard import dashboard_context, dashboard_export, selected_promotions
    from .figures import programme_figures

    def promotions_and_selected():
        promotions = list(Promotion.objects.order_by("rank", "year", "code"))
        return promotions, selected_promotions(request, promotions)

    def figures(selected):
        return programme_figures(promotions=selected or None)

    # The ticked slugs (unknown ones select nothing) name the stored values: no query for them.
    selected_key = ",".join(sorted(set(request.GET.getlist("promotion"))))
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        stored = data_versions.cached(
            "programme-figures",
            ["programme"],
            lambda: figures(promotions_and_selected()[1]),
            selected_key,
        )
        return dashboard_export(request, stored, export)

    def main_html():
        promotions, selected = promotions_and_selected()
        context = dashboard_context(figures(selected), promotions, selected)
        return render_to_string("promotions/_dashboard_main.html", context, request=request)

    # The page's body (tables, charts, pinned survey results) is stored rendered until the data
    # it shows change (eig_portal.common.data_versions): nothing in it depends on the user.
    html = data_versions.cached(
        "dashboard-main", ["programme", "surveys"], main_html, selected_key, get_language()
    )
    context = {"main_html": html}
    return render(request, "promotions/dashboard.html", context)
