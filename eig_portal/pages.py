"""The pages every French public service publishes, linked from the footer: accessibility
statement (RGAA), legal notice and site map. The personal-data notice is generated from the
register (``eig_portal.privacy``)."""

from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

#: Date and method of the accessibility assessment shown in the statement (RGAA 4.1).
ACCESSIBILITY_AUDIT_DATE = "2026-11-29"


@dataclass(frozen=True)
class SiteMapEntry:
    """One public page of the site map: its label and URL name (reversed without arguments)."""

    label: str
    url_name: str


#: Public pages listed by the site map, in reading order (sections, then the footer pages).
SITE_MAP: tuple[SiteMapEntry, ...] = (
    SiteMapEntry(_("Accueil"), "home"),
    SiteMapEntry(_("Défis"), "challenges:list"),
    SiteMapEntry(_("Promotions"), "promotions:list"),
    SiteMapEntry(_("Appels à projets"), "calls:list"),
    SiteMapEntry(_("Données ouvertes"), "promotions:open_data"),
    SiteMapEntry(_("Documentation de l'API"), "api:docs"),
    SiteMapEntry(_("Se connecter"), "account_login"),
    SiteMapEntry(_("Créer un compte"), "account_signup"),
    SiteMapEntry(_("Accessibilité"), "pages:accessibility"),
    SiteMapEntry(_("Mentions légales"), "pages:legal"),
    SiteMapEntry(_("Données personnelles"), "privacy:public"),
    SiteMapEntry(_("Plan du site"), "pages:sitemap"),
)


def personal_data_url() -> str:
    """URL of the personal-data notice, generated from the register (``privacy:public``)."""
    return reverse("privacy:public")


def site_map_links() -> list[tuple[str, str]]:
    """(label, URL) of every ``SITE_MAP`` entry, in order."""
    links = []
    for entry in SITE_MAP:
        links.append((str(entry.label), reverse(entry.url_name)))
    return links


@require_safe
def accessibility(request):
    """The accessibility statement: conformity status, how it was assessed, contact, recourse."""
    context = {"audit_date": ACCESSIBILITY_AUDIT_DATE, "contact": settings.COORDINATORS_EMAIL}
    return render(request, "pages/accessibility.html", context)


@require_safe
def legal(request):
    """Legal notice: publisher, hosting, licence of the contents."""
    context = {
        "contact": settings.COORDINATORS_EMAIL,
        "host": settings.LEGAL_HOST,
    }
    return render(request, "pages/legal.html", context)


@require_safe
def sitemap(request):
    """Site map: every public page, one link each."""
    return render(request, "pages/sitemap.html", {"links": site_map_links()})


def footer_links(request) -> dict:
    """Context processor: ``personal_data_url`` for the footer and the forms that link to it, and
    ``lang_fr``, the attribute that marks French content (défis, questions) as French when the
    interface is in another language (empty in French)."""
    french = (get_language() or settings.LANGUAGE_CODE).split("-")[0] == "fr"
    return {
        "personal_data_url": personal_data_url(),
        "lang_fr": "" if french else mark_safe(' lang="fr"'),
    }


def site_config(request) -> dict:
    """Context processor: ``SITE_CONFIG``, the DSFR site configuration edited in the admin
    (notice banner, mourning), as django-dsfr's own processor gives it — the one in the current
    language, else the first one, else None — in one query instead of two."""
    from django.db.models import Case, IntegerField, Value, When
    from dsfr.models import DsfrConfig

    in_language = Case(
        When(language=get_language(), then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return {"SITE_CONFIG": DsfrConfig.objects.order_by(in_language, "pk").first()}
