"""factory_boy factories shared by the test suite, one per model, grouped by app.

Keep them minimal (required fields only, unique values from sequences); tests set what they
assert on. Add new factories in the section of their app.
"""

import datetime as dt
import hashlib
import secrets
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from challenges.models import Challenge, ExpertiseRequest, Outcome, ProgressUpdate
from promotions.models import (
    Administration,
    AlumniProfile,
    AlumniSituation,
    BudgetLine,
    DeclaredFigure,
    Event,
    Fellow,
    Mentor,
    PrintedTotal,
    Promotion,
)
from surveys.models import Answer, Choice, Invitation, Question, Response, Role, Section, Survey

# --- accounts -------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gouv.fr")
    password = factory.django.Password("user-pass-2027")


# --- promotions -----------------------------------------------------------------------------


class PromotionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Promotion
        django_get_or_create = ("code",)

    number = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda o: f"EIG {o.number}")
    slug = factory.LazyAttribute(lambda o: slugify(o.code))
    rank = factory.LazyAttribute(lambda o: o.number or 0)
    # Wraps so that long test sessions stay within the year CheckConstraint (2000–2100).
    year = factory.LazyAttribute(lambda o: 2016 + (o.number or 1) % 80)


class AdministrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Administration

    name = factory.Sequence(lambda n: f"Administration {n}")


class FellowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fellow

    name = factory.Sequence(lambda n: f"EIG {n:04d}")
    profile = Fellow.Profile.DEVELOPER
    promotion = factory.SubFactory(PromotionFactory)


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor

    name = factory.Sequence(lambda n: f"Agent {n:04d}")
    promotion = factory.SubFactory(PromotionFactory)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    promotion = factory.SubFactory(PromotionFactory)
    category = BudgetLine.Category.SALARIES
    amount = Decimal("1000.00")


class DeclaredFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeclaredFigure

    promotion = factory.SubFactory(PromotionFactory)
    metric = DeclaredFigure.Metric.FELLOWS
    value = 1
    source = "Rapport EIG 2019"


class PrintedTotalFactory(factory.django.DjangoModelFactory):
    """``promotions=[...]`` sets the promotions the printed total covers."""

    class Meta:
        model = PrintedTotal
        skip_postgeneration_save = True

    source = "Rapport EIG 2019"
    metric = "challenges_proposed"
    value = Decimal("0")

    @factory.post_generation
    def promotions(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.promotions.set(extracted)


# --- challenges -----------------------------------------------------------------------------


class ChallengeFactory(factory.django.DjangoModelFactory):
    """``fellows=[...]`` / ``mentors=[...]`` link people to the défi."""

    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Défi {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Un défi d'intérêt général."
    promotion = factory.SubFactory(PromotionFactory)
    administration = factory.SubFactory(AdministrationFactory)

    @factory.post_generation
    def fellows(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.fellows.set(extracted)

    @factory.post_generation
    def mentors(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.mentors.set(extracted)


# --- support programme, alumni and follow-up ----------------------------------------------


class EventFactory(factory.django.DjangoModelFactory):
    """An event starting in a week by default (1 h long, in a place)."""

    class Meta:
        model = Event

    promotion = factory.SubFactory(PromotionFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    kind = Event.Kind.COLLECTIVE_SESSION
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))
    place = "Paris"


class AlumniProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlumniProfile

    fellow = factory.SubFactory(FellowFactory)
    token_seed = factory.Sequence(lambda n: f"seed{n}")
    token_hash = factory.Sequence(lambda n: f"hash{n}")


class AlumniSituationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlumniSituation

    profile = factory.SubFactory(AlumniProfileFactory)
    situation = AlumniSituation.Situation.CONTRACTUAL
    as_of = dt.date(2020, 1, 1)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    challenge = factory.SubFactory(ChallengeFactory)
    posted_at = factory.LazyFunction(timezone.now)
    progress = "Avancement de la semaine."


class ExpertiseRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertiseRequest

    challenge = factory.SubFactory(ChallengeFactory)
    fellow = factory.SubFactory(FellowFactory)
    topic = ExpertiseRequest.Topic.DATA_SCIENCE
    description = "Aide sur un modèle."


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    challenge = factory.SubFactory(ChallengeFactory)
    as_of = dt.date(2019, 11, 30)
    production_status = Outcome.ProductionStatus.IN_PRODUCTION


# --- surveys --------------------------------------------------------------------------------


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    code = factory.Sequence(lambda n: f"survey-{n}")
    title = factory.Sequence(lambda n: f"Questionnaire {n}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    survey = factory.SubFactory(SurveyFactory)
    title = factory.Sequence(lambda n: f"Partie {n}")
    order = factory.Sequence(lambda n: n + 1)


class QuestionFactory(factory.django.DjangoModelFactory):
    """A short-text question by default; the survey follows the section."""

    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    survey = factory.SelfAttribute("section.survey")
    code = factory.Sequence(lambda n: f"q{n}")
    text = factory.Sequence(lambda n: f"Question {n} ?")
    type = Question.Type.SHORT_TEXT
    order = factory.Sequence(lambda n: n + 1)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, type=Question.Type.SINGLE)
    code = factory.Sequence(lambda n: f"choice{n}")
    label = factory.Sequence(lambda n: f"Choix {n}")
    order = factory.Sequence(lambda n: n + 1)


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation with a random token (its link cannot be rebuilt: tests needing the link
    use ``surveys.services.invitation_create``)."""

    class Meta:
        model = Invitation

    survey = factory.SubFactory(SurveyFactory)
    role = Role.FELLOW
    email = factory.Sequence(lambda n: f"invite{n}@example.gouv.fr")
    token_seed = factory.LazyFunction(lambda: secrets.token_hex(16))
    token_hash = factory.LazyFunction(lambda: hashlib.sha256(secrets.token_bytes(32)).hexdigest())


class ResponseFactory(factory.django.DjangoModelFactory):
    """A submitted response imported from elsewhere (no invitation)."""

    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    role = Role.FELLOW
    source = Response.Source.IMPORT
    respondent = factory.Sequence(lambda n: f"r{n}")
    status = Response.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(
        QuestionFactory, section__survey=factory.SelfAttribute("...response.survey")
    )
