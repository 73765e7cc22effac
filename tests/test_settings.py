"""Settings read from the environment: production variables give a clean deploy check."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_production_variables_reports_no_warning(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="False",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="eig.example.gouv.fr",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    env = {"DEBUG": "False", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    full = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    full.update(env)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=full, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_an_empty_database_url_means_the_embedded_sqlite_default(tmp_path):
    result = _manage(
        "shell", "-c", "from django.db import connection; print(connection.vendor)", DATABASE_URL=""
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "sqlite"


# --- the docker-compose environment ------------------------------------------------------------

COMPOSE_VARIABLE = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")


def _compose_environment(**given):
    """The web service's environment from docker-compose.yml, with ``${VAR:-default}`` resolved
    from ``given`` or the default, and ``${VAR:?message}`` required from ``given``."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["x-app"]["environment"]

    def resolve(match):
        name, kind, rest = match.groups()
        if name in given:
            return given[name]
        assert kind == "-", f"{name} is required by docker-compose.yml: {rest}"
        return rest

    return {key: COMPOSE_VARIABLE.sub(resolve, str(value)) for key, value in environment.items()}


def test_compose_ships_no_usable_secret_key():
    raw = (ROOT / "docker-compose.yml").read_text()
    assert re.search(r'SECRET_KEY: "\$\{SECRET_KEY:\?[^}]+\}"', raw)
    with pytest.raises(AssertionError, match="SECRET_KEY is required"):
        _compose_environment()


def test_check_deploy_with_the_compose_environment_reports_no_warning():
    environment = _compose_environment(SECRET_KEY=secrets.token_urlsafe(50))
    assert environment["CACHE_URL"].startswith("redis://")
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **environment)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_compose_settings_redis_cache_persistent_connections_and_jit_off():
    environment = _compose_environment(SECRET_KEY=secrets.token_urlsafe(50))
    script = (
        "import json; from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(json.dumps([s.CACHES['default']['BACKEND'], d['CONN_MAX_AGE'],"
        " d['CONN_HEALTH_CHECKS'], d['OPTIONS'].get('options'), s.SECURE_SSL_REDIRECT,"
        " s.SECURE_PROXY_SSL_HEADER, s.STAFF_REQUIRE_2FA, s.SESSION_COOKIE_SECURE]))"
    )
    result = _manage("shell", "-c", script, **environment)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        "django.core.cache.backends.redis.RedisCache",
        60,
        True,
        "-c jit=off",
        True,  # HTTP is redirected to HTTPS…
        None,  # …and X-Forwarded-Proto is not trusted without a proxy
        True,  # staff need two-factor authentication
        True,
    ]
    behind = _manage("shell", "-c", script, **{**environment, "BEHIND_TLS_PROXY": "True"})
    assert json.loads(behind.stdout.strip().splitlines()[-1])[5] == [
        "HTTP_X_FORWARDED_PROTO",
        "https",
    ]


def test_a_published_placeholder_secret_key_is_refused(tmp_path):
    result = _manage(
        "check",
        DEBUG="False",
        SECRET_KEY="change-me-to-a-long-random-string",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode != 0
    assert "placeholder" in result.stderr


def test_without_cache_url_the_cache_is_the_database_one_shared_by_workers(tmp_path):
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.stdout.strip().splitlines()[-1] == "django.core.cache.backends.db.DatabaseCache"


def test_gunicorn_configuration_reads_the_environment():
    script = (
        "import runpy, json; c = runpy.run_path('gunicorn.conf.py');"
        "print(json.dumps([c['workers'], c['threads'], c['worker_class'], c['timeout']]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **os.environ,
            "GUNICORN_WORKERS": "3",
            "GUNICORN_THREADS": "4",
            "GUNICORN_TIMEOUT": "45",
        },
        capture_output=True,
        text=True,
    )
    assert json.loads(result.stdout) == [3, 4, "gthread", 45]
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "gunicorn eig_portal.wsgi -c gunicorn.conf.py" in compose["services"]["web"]["command"]


def test_gunicorn_workers_freeze_the_loaded_application_out_of_garbage_collection():
    script = (
        "import gc, runpy; c = runpy.run_path('gunicorn.conf.py');"
        "before = gc.get_freeze_count(); c['post_worker_init'](None);"
        "print(before, gc.get_freeze_count() > 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["0", "True"]


def test_every_scheduled_task_is_known_to_the_worker():
    """Each beat entry names a task that a worker started with the project's configuration
    registers (autodiscovery plus ``CELERY_IMPORTS``): a typo or a forgotten module fails here."""
    from django.conf import settings

    from eig_portal.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled - set(app.tasks) == set()
