"""Root URL configuration. Each app owns its URLs (``app_name`` namespaces)."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from challenges.api import ChallengeListView
from challenges.followup.api import ProgrammeFiguresView

from . import views
from .common.api import ApiDocsView
from .security import admin_login_redirect

api_patterns = [
    path("figures/", ProgrammeFiguresView.as_view(), name="figures"),
    path("", include("promotions.api_urls")),
    path("challenges/", ChallengeListView.as_view(), name="challenges"),
    path("surveys/", include("surveys.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through the portal's login page (throttling, two-factor authentication).
    path("admin/login/", admin_login_redirect, name="admin_login_redirect"),
    path("admin/", admin.site.urls),
    path("comptes/", include("allauth.urls")),
    path("api/v1/", include((api_patterns, "api"))),
    path("promotions/", include("promotions.urls")),
    path("accompagnement/", include("promotions.events.urls")),
    path("alumni/", include("promotions.alumni.urls")),
    path("defis/jury/", include("challenges.calls.jury_urls")),  # before defis/<slug>/
    path("defis/", include("challenges.followup.urls")),  # before defis/<slug>/
    path("defis/", include("challenges.urls")),
    path("appels/", include("challenges.calls.urls")),
    path("candidatures/", include("challenges.calls.proposal_urls")),
    path("recrutement/", include("challenges.recruitment.urls")),
    path("questionnaires/suivi/", include("surveys.results_urls")),
    path("questionnaires/", include("surveys.urls")),
    path("donnees-personnelles/", include("eig_portal.privacy.urls")),
    path("", include("eig_portal.pages_urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
