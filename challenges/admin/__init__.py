"""Django admin of the challenges app, by topic: the défis catalogue here, the call for
projects in ``challenges.calls.admin``, the call for candidates in ``challenges.recruitment.admin``
(all registered on import)."""

from challenges.calls import admin as calls_admin  # noqa: F401
from challenges.followup import admin as followup_admin  # noqa: E402
from challenges.recruitment import admin as recruitment_admin  # noqa: F401, E402

from . import catalogue  # noqa: F401
from .catalogue import ChallengeAdmin  # noqa: E402

# The défi list offers the follow-up's actions (links to teams, outcome requests).
ChallengeAdmin.actions = [*(ChallengeAdmin.actions or []), *followup_admin.CHALLENGE_ACTIONS]
