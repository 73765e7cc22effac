"""The pages every French public service publishes, linked from the footer: accessibility
statement (RGAA), legal notice and site map. The personal-data notice is generated from the
register (``eig_portal.privacy``)."""

import functools
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
    language, else the first one, else None — in one plain query instead of two (there is at
    most one configuration per language)."""
    from dsfr.models import DsfrConfig

    configs = list(DsfrConfig.objects.order_by("pk"))
    language = get_language()
    return {
        "SITE_CONFIG": next((c for c in configs if c.language == language), None)
        or (configs[0] if configs else None)
    }


#: URL names of the header's links (arguments-free), reversed once per process and prefix.
NAV_URL_NAMES = {
    "home": "home",
    "promotions": "promotions:list",
    "open_data": "promotions:open_data",
    "dashboard": "promotions:dashboard",
    "challenges": "challenges:list",
    "jury": "jury:list",
    "realisations": "followup:realisations",
    "calls": "calls:list",
    "proposals": "proposals:list",
    "survey_results": "survey_results:index",
    "admin": "admin:index",
    "my_data": "privacy:my_data",
    "mfa": "mfa_index",
    "logout": "account_logout",
    "login": "account_login",
    "set_language": "set_language",
}


@functools.lru_cache(maxsize=8)
def _nav_urls(script_prefix: str) -> dict[str, str]:
    return {key: reverse(name) for key, name in NAV_URL_NAMES.items()}


def _nav_roles(user) -> dict[str, bool]:
    """``{"agent": …, "juror": …}``: whether the header shows « Mes candidatures » and « Jury »
    (an agent profile, at least one jury assignment), in one query (plain SQL: the ORM's
    ``Exists`` costs more to build than the query to run, on every page)."""
    from django.db import connection

    from challenges.calls.models import AgentProfile, JuryAssignment

    if not user.is_authenticated:
        return {"agent": False, "juror": False}
    agent, juror = AgentProfile._meta, JuryAssignment._meta
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {agent.db_table} WHERE "
            f"{agent.get_field('user').column} = %s), EXISTS (SELECT 1 FROM {juror.db_table} "
            f"WHERE {juror.get_field('juror').column} = %s)",
            [user.pk, user.pk],
        )
        is_agent, is_juror = cursor.fetchone()
    return {"agent": bool(is_agent), "juror": bool(is_juror)}


def header_links(request) -> dict:
    """Context processor: ``nav_urls`` (URL of each header link, by ``NAV_URL_NAMES`` key,
    reversed once per process) and ``nav_roles`` (see ``_nav_roles``; read only when a page
    shows the header)."""
    from django.urls import get_script_prefix
    from django.utils.functional import SimpleLazyObject

    user = getattr(request, "user", None)
    return {
        "nav_urls": _nav_urls(get_script_prefix()),
        "nav_roles": SimpleLazyObject(lambda: _nav_roles(user) if user else {}),
    }
