"""Uploads of the call for candidates' tests go to a temporary MEDIA_ROOT."""

import pytest


@pytest.fixture(autouse=True)
def _temporary_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
