"""URLs of the footer's mandatory pages (namespace ``pages``)."""

from django.urls import path

from . import pages

app_name = "pages"

urlpatterns = [
    path("accessibilite/", pages.accessibility, name="accessibility"),
    path("mentions-legales/", pages.legal, name="legal"),
    path("plan-du-site/", pages.sitemap, name="sitemap"),
]
