"""Jurors see the attachments of the submitted version only; uploads are never served under
MEDIA_URL (only by the views that check who may read them)."""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.urls import Resolver404, clear_url_caches, resolve, reverse

from challenges.calls.jury import jury_assign
from challenges.models import ProposalAttachment
from tests.challenges.call_builders import make_call, make_proposal
from tests.factories import UserFactory
from tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db


def _attach(proposal, name):
    attachment = ProposalAttachment(
        proposal=proposal, original_name=name, size=100, uploaded_by=proposal.created_by
    )
    attachment.file.save(name, ContentFile(make_pdf()), save=False)
    attachment.save()
    return attachment


def test_a_juror_sees_the_submitted_attachments_not_those_added_since(client, coordinator):
    proposal = make_proposal(make_call())
    submitted = _attach(proposal, "budget.pdf")
    version = proposal.versions.get()
    version.snapshot = {"attachments": [{"id": submitted.pk, "name": "budget.pdf", "size": 100}]}
    version.save()
    added_later = _attach(proposal, "ajout après dépôt.exe")
    juror = UserFactory()
    jury_assign(proposals=[proposal], jurors=[juror], by=coordinator)
    assignment = juror.jury_assignments.get()

    client.force_login(juror)
    page = client.get(reverse("jury:review", args=[assignment.pk])).content.decode()
    assert "budget.pdf" in page and "ajout après dépôt" not in page
    ok = client.get(reverse("jury:attachment", args=[assignment.pk, submitted.pk]))
    assert ok.status_code == 200
    assert 'filename="budget.pdf"' in ok["Content-Disposition"]
    later = client.get(reverse("jury:attachment", args=[assignment.pk, added_later.pk]))
    assert later.status_code == 404


def test_an_old_name_without_pdf_extension_is_served_as_pdf(client, coordinator):
    proposal = make_proposal(make_call())
    attachment = _attach(proposal, "Budget 2027.exe")
    client.force_login(coordinator)
    response = client.get(reverse("proposals:attachment", args=[proposal.pk, attachment.pk]))
    assert response.status_code == 200
    assert 'filename="Budget 2027.pdf"' in response["Content-Disposition"]


def test_media_is_not_served_even_in_debug(settings):
    import eig_portal.urls

    settings.DEBUG = True
    try:
        importlib.reload(eig_portal.urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve(settings.MEDIA_URL + "proposals/1/0123456789abcdef.pdf")
    finally:
        settings.DEBUG = False
        importlib.reload(eig_portal.urls)
        clear_url_caches()
