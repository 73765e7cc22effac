"""Load test of ``bench_all.py`` (locust, headless): the trivial page or a section save.

``BENCH_TARGET=trivial``: GET ``/bench/trivial/``. ``BENCH_TARGET=section_save``: each user
takes one personal link from ``BENCH_TOKENS`` (comma-separated), opens section 1 once (CSRF
cookie), then POSTs the answers of ``BENCH_FORM`` (JSON ``{field: value or [values]}``) again
and again (« Continuer », a 302 to section 2). ``BENCH_TARGET=bare_post`` / ``bare_write``: the
same start and the same body, posted to the floor references ``/bench/post/`` and
``/bench/write/?slot=<user>`` (``bench_urls``).
"""

import itertools
import json
import os
from urllib.parse import urlencode

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

TARGET = os.environ.get("BENCH_TARGET", "trivial")
TOKENS = itertools.cycle(os.environ.get("BENCH_TOKENS", "").split(","))
SLOTS = itertools.count()
FORM = json.loads(os.environ.get("BENCH_FORM", "{}"))
NAMES = {"section_save": "section save", "bare_post": "bare post", "bare_write": "bare write"}


class Visitor(FastHttpUser):
    """One client sending requests back to back."""

    wait_time = constant(0)

    def on_start(self):
        """POST targets: pick a personal link and get the CSRF cookie from its page."""
        if TARGET == "trivial":
            return
        page = f"/questionnaires/r/{next(TOKENS)}/section/1/"
        self.url = {
            "section_save": page,
            "bare_post": "/bench/post/",
            "bare_write": f"/bench/write/?slot={next(SLOTS)}",
        }[TARGET]
        self.client.get(page, name="section page")
        self.csrf = next(c.value for c in self.client.cookiejar if c.name == "csrftoken")

    @task
    def hit(self):
        """One request of the target."""
        if TARGET == "trivial":
            self.client.get("/bench/trivial/", name="trivial")
            return
        pairs = [(k, v) for k, vs in FORM.items() for v in (vs if isinstance(vs, list) else [vs])]
        pairs += [("csrfmiddlewaretoken", self.csrf), ("action", "next")]
        with self.client.post(
            self.url,
            data=urlencode(pairs),
            name=NAMES[TARGET],
            allow_redirects=False,
            catch_response=True,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ) as response:
            if response.status_code != 302:
                response.failure(f"status {response.status_code}")
