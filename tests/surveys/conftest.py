"""Fixtures of the surveys tests: promotions with people, the shipped 2019 questionnaires."""

import pytest

from eig_portal.common.tokens import invitation_token
from promotions.models import Fellow, Mentor, Promotion
from surveys.definition_files import load_shipped_2019_surveys, survey_import_definition
from surveys.models import Role
from surveys.services import invitation_create

SMALL_SURVEY = {
    "code": "small",
    "title": "Petit questionnaire",
    "audience": ["fellows", "mentors"],
    "sections": [
        {
            "title": "Première partie",
            "questions": [
                {"code": "happy", "text": "Content·e ?", "type": "yesno", "required": True},
                {
                    "code": "why_not",
                    "text": "Pourquoi pas ?",
                    "type": "long_text",
                    "show_if": {"question": "happy", "equals": "no"},
                },
                {
                    "code": "colour",
                    "text": "Couleur préférée",
                    "type": "single",
                    "choices": [
                        {"code": "blue", "label": "Bleu"},
                        {"code": "red", "label": "Rouge"},
                    ],
                },
            ],
        },
        {
            "title": "Seconde partie",
            "questions": [
                {
                    "code": "rating",
                    "text": "Note",
                    "type": "scale",
                    "required": True,
                    "scale": {"min": 1, "max": 5, "min_label": "Mal", "max_label": "Bien"},
                },
                {
                    "code": "tools",
                    "text": "Outils",
                    "type": "multiple",
                    "choices": [
                        {"code": "git", "label": "Git"},
                        {"code": "python", "label": "Python"},
                        {"code": "r", "label": "R"},
                    ],
                },
                {
                    "code": "hours",
                    "text": "Heures",
                    "type": "number",
                    "number": {"min": 0, "max": 80, "unit": "h"},
                },
                {"code": "remark", "text": "Remarque", "type": "short_text"},
            ],
        },
    ],
}


@pytest.fixture
def promotions(db):
    eig1 = Promotion.objects.create(code="EIG 1", slug="eig-1", number=1, rank=1, year=2017)
    eig2 = Promotion.objects.create(code="EIG 2", slug="eig-2", number=2, rank=2, year=2018)
    return eig1, eig2


@pytest.fixture
def people(promotions):
    eig1, eig2 = promotions
    fellows = [
        Fellow.objects.create(
            name="Alice", email="alice@example.org", profile="developer", promotion=eig1
        ),
        Fellow.objects.create(
            name="Bruno", email="bruno@example.org", profile="designer", promotion=eig2
        ),
        Fellow.objects.create(
            name="Chloé sans courriel", email="", profile="designer", promotion=eig2
        ),
    ]
    mentors = [Mentor.objects.create(name="Dora", email="dora@example.gouv.fr", promotion=eig2)]
    return fellows, mentors


@pytest.fixture
def small_survey(db):
    return survey_import_definition(data=SMALL_SURVEY)


@pytest.fixture
def surveys_2019(db):
    return load_shipped_2019_surveys()


@pytest.fixture
def make_invitation(people):
    fellows, mentors = people

    def make(survey, fellow=None):
        fellow = fellow or fellows[0]
        invitation = invitation_create(
            survey=survey,
            email=fellow.email,
            role=Role.FELLOW,
            promotion=fellow.promotion,
            fellow=fellow,
        )
        return invitation, invitation_token(invitation)

    return make


@pytest.fixture
def staff_client(client, coordinator):
    """A client logged in as a coordinator (staff, ``coordinators`` group)."""
    client.force_login(coordinator)
    return client


@pytest.fixture
def coord_client(client, coordinator):
    """A client logged in as a superuser coordinator (every admin page)."""
    coordinator.is_superuser = True
    coordinator.save()
    client.force_login(coordinator)
    return client
