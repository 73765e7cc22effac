"""gunicorn configuration of EIG Portal (used by docker-compose: ``gunicorn -c gunicorn.conf.py``).

Every value comes from the environment, with defaults for a 2-core machine:
- GUNICORN_BIND (0.0.0.0:8000), GUNICORN_WORKERS (2 × cores + 1), GUNICORN_THREADS (4:
  threads per worker, so a slow upload or export does not hold a whole process),
- GUNICORN_TIMEOUT (60 s: a request still running then is killed and its worker restarted),
  GUNICORN_GRACEFUL_TIMEOUT (30 s), GUNICORN_KEEPALIVE (5 s),
- GUNICORN_MAX_REQUESTS (1000, ± 10 % jitter: workers are recycled to bound memory growth).
Each thread keeps its own persistent database connection (CONN_MAX_AGE), so PostgreSQL must
accept workers × threads connections per web container. Once a worker has loaded the portal,
its objects are frozen out of the garbage collector's scans (``post_worker_init``).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    """An integer from the environment, or ``default`` when unset or empty."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
# Behind the TLS proxy, trust its X-Forwarded-* headers (the proxy runs on another container).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "*")


def post_worker_init(worker):
    """Once the worker has loaded the application, its objects (Django, the apps, their
    modules) live as long as the worker: ``gc.freeze()`` takes them out of the garbage
    collector's scans, so each full collection during requests costs a fraction of it."""
    import gc

    gc.freeze()
