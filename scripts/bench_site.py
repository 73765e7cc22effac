"""Settings of the benchmark's site: the portal plus one trivial reference view (bench_urls).

``bench_all.py`` measures every page against ``/bench/trivial/``: a view going through the
whole middleware stack and making one ``SELECT 1`` — what any page costs at the least. The
gunicorn started by the benchmark uses this module as its settings
(``DJANGO_SETTINGS_MODULE=bench_site``), served over plain HTTP on 127.0.0.1.
"""

import os

from eig_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
DEBUG = os.environ.get("DEBUG", "False") == "True"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {  # noqa: F405 — no manifest needed: the benchmark never collects static files
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("BENCH_JIT", "off") == "off":
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    if "jit" not in _options.get("options", ""):
        _options["options"] = (_options.get("options", "") + " -c jit=off").strip()
