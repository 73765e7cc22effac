"""Demo set-up steps run by ``manage.py setup_demo`` (local development and demos only).

Each step is a function taking no argument and returning the lines to print; it must be
idempotent (running it again changes nothing). Other apps add their own steps to
``promotions.management.commands.setup_demo.DEMO_STEPS`` (dotted paths).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.db import transaction

from .permissions import COORDINATORS_GROUP, coordinators_group_sync

#: Fallback only: the Site's domain follows ``settings.SITE_URL`` (``make run PORT=8108``).
DEMO_SITE_DOMAIN = "127.0.0.1:8000"
DEMO_SITE_NAME = "Portail EIG"
DEMO_COORDINATOR_USERNAME = "coordinatrice"
DEMO_COORDINATOR_EMAIL = "coordinatrice@example.gouv.fr"
#: Fixed on purpose so that it stays the same across runs; for local demos only.
DEMO_COORDINATOR_PASSWORD = "demo-eig-2027"


def demo_site_domain() -> str:
    """Host (and port) of ``settings.SITE_URL``, e.g. « 127.0.0.1:8108 »."""
    return urlsplit(settings.SITE_URL).netloc or DEMO_SITE_DOMAIN


def admin_url() -> str:
    return f"{settings.SITE_URL.rstrip('/')}/admin/"


@transaction.atomic
def demo_site() -> list[str]:
    """Set the django.contrib.sites Site (SITE_ID) to SITE_URL's host « Portail EIG »."""
    domain = demo_site_domain()
    site, _ = Site.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": DEMO_SITE_NAME}
    )
    if (site.domain, site.name) != (domain, DEMO_SITE_NAME):
        site.domain, site.name = domain, DEMO_SITE_NAME
        site.save()
    return [f"Site: {site.domain} « {site.name} »"]


@transaction.atomic
def demo_coordinator() -> list[str]:
    """Create (or repair) the demo coordinator: staff, in ``coordinators``, fixed password."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DEMO_COORDINATOR_USERNAME,
        defaults={"email": DEMO_COORDINATOR_EMAIL, "is_staff": True, "is_active": True},
    )
    changed = created
    for attr, value in (("email", DEMO_COORDINATOR_EMAIL), ("is_staff", True), ("is_active", True)):
        if getattr(user, attr) != value:
            setattr(user, attr, value)
            changed = True
    if not user.check_password(DEMO_COORDINATOR_PASSWORD):
        user.set_password(DEMO_COORDINATOR_PASSWORD)
        changed = True
    if changed:
        user.save()
    if not Group.objects.filter(name=COORDINATORS_GROUP).exists():
        coordinators_group_sync()
    user.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    _register_allauth_email(user)
    return [
        "Demo coordinator "
        + ("created" if created else "ready")
        + " (demo only, never in production):",
        f"  login URL : {admin_url()}",
        f"  username  : {DEMO_COORDINATOR_USERNAME}",
        f"  email     : {DEMO_COORDINATOR_EMAIL}",
        f"  password  : {DEMO_COORDINATOR_PASSWORD}",
    ]


def _register_allauth_email(user) -> None:
    """Mark the demo email verified so the coordinator can also log in through allauth."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user,
        email=DEMO_COORDINATOR_EMAIL,
        defaults={"verified": True, "primary": True},
    )
