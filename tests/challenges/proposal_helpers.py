"""Helpers for the agent-side proposal tests: a frozen clock, complete field values, PDFs."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    """An aware datetime in Paris time: ``paris(2027, 3, 7, 23, 59, 59)``."""
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def clock(monkeypatch):
    """Freeze ``django.utils.timezone.now`` (what the services and auto_now read): ``clock(dt)``."""
    from django.utils import timezone

    def set_now(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_now


def complete_fields(**overrides) -> dict:
    """Values of every field required at submission (a proposal that can be submitted)."""
    data = {
        "title": "Prévenir les ruptures d'approvisionnement",
        "summary": "Anticiper les tensions d'approvisionnement des médicaments.",
        "context": "Les ruptures sont déclarées tard, par courriel.",
        "objectives": "Un outil de détection précoce en 10 mois.",
        "beneficiaries": "Les pharmaciens inspecteurs et les patients.",
        "available_data": "Déclarations de ruptures depuis 2012 (CSV).",
        "systems": "Une base Oracle interne.",
        "commits_equipment": True,
        "commits_internet_access": True,
        "mentor_name": "Camille Martin",
        "mentor_position": "Cheffe de bureau",
        "mentor_email": "camille.martin@example.gouv.fr",
        "mentor_time_commitment": "Deux demi-journées par semaine",
        "sponsor_name": "Dominique Bernard",
        "sponsor_position": "Directeur général",
        "sponsor_email": "dominique.bernard@example.gouv.fr",
        "sponsor_time_commitment": "Un point par mois",
        "developers_wanted": 1,
        "data_scientists_wanted": 1,
        "cofunding_share": Decimal("30.00"),
    }
    data.update(overrides)
    return data


def form_data(**overrides) -> dict:
    """``complete_fields`` as POST values (strings; booleans as "on" or absent)."""
    out = {}
    for key, value in complete_fields(**overrides).items():
        if value is True:
            out[key] = "on"
        elif value is False or value is None:
            continue
        else:
            out[key] = str(value)
    return out


def pdf_file(name="annexe.pdf", size=2000) -> SimpleUploadedFile:
    """A small file that starts like a PDF (``%PDF-``) padded to ``size`` bytes."""
    body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body.ljust(size, b" "), content_type="application/pdf")
