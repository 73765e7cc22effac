"""Content-Security-Policy: every page says that scripts, styles, images and fonts come from the
portal only; inline scripts run only with the response's nonce."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _policy(response):
    header = response["Content-Security-Policy"]
    return dict((part.split()[0], part.split()[1:]) for part in header.split(";") if part.strip())


def test_pages_send_a_policy_allowing_only_the_portal_s_own_assets(client):
    policy = _policy(client.get("/"))
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    for directive in ("script-src", "style-src", "img-src", "font-src", "connect-src"):
        assert not [s for s in policy[directive] if s.startswith("http") or s == "*"], directive


def test_an_inline_script_carries_the_response_s_nonce(client):
    # The proposal form focuses its error summary with a small inline script.
    from challenges.calls import services
    from tests.challenges.call_builders import make_agent, make_call

    agent = make_agent()
    proposal = services.proposal_create(call=make_call(), user=agent, data={"title": "Titre"})
    client.force_login(agent)
    response = client.post(
        reverse("proposals:submit", args=[proposal.pk]), {"version": proposal.version}
    )
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script([^>]*)>\s*\S", response.content.decode())
    inline = [attrs for attrs in scripts if "src=" not in attrs]
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)
