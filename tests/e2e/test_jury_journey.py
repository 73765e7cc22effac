"""Browser journey 2 (Playwright, Debian Chromium), continuing journey 1: the agent's submitted
proposal is given to the jury, a juror scores it in the browser, the coordinator sees the ranking
and selects it in the admin, the administration gets the decision by email, and the défi appears
in the public list. axe-core on each page (no serious or critical violation).
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from challenges.calls.jury import JURY_GROUP
from challenges.models import Challenge, ChallengeProposal, JuryAssignment
from promotions.models import Administration
from tests.a11y import assert_no_serious_a11y_violations
from tests.challenges.call_builders import make_call, make_review
from tests.e2e.test_proposal_journey import AGENT_EMAIL, agent_submits_a_proposal
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

JUROR_EMAIL = "sacha.juree@numerique.example.gouv.fr"
JUROR_PASSWORD = "Jury-mot-de-passe-2027"
COORDINATOR_PASSWORD = "coordinator-pass-2027"  # tests/conftest.py


@pytest.fixture
def open_call(settings, tmp_path):
    """As in journey 1: a published call (weights 3, 2, 1) and the agent's administration."""
    settings.MEDIA_ROOT = tmp_path
    Administration.objects.create(name="Ministère de l'Intérieur")
    return make_call(title="Appel à projets EIG 8", weights=(3, 2, 1))


def make_juror():
    juror = UserFactory(
        username="sacha",
        email=JUROR_EMAIL,
        first_name="Sacha",
        last_name="Juré",
        password=JUROR_PASSWORD,
    )
    EmailAddress.objects.create(user=juror, email=JUROR_EMAIL, verified=True, primary=True)
    Group.objects.get_or_create(name=JURY_GROUP)[0].user_set.add(juror)
    return juror


def admin_log_in(page, base, coordinator):
    page.goto(f"{base}{reverse('admin:login')}")
    page.fill("#id_login", coordinator.email)
    page.fill("#id_password", COORDINATOR_PASSWORD)
    page.click("button[type=submit]:has-text('Se connecter')")
    page.wait_for_url(f"**{reverse('admin:index')}")


def run_admin_action(page, label):
    page.select_option("select[name=action]", label=label)
    page.click("button[name=index]")
    page.wait_for_load_state()


def coordinator_assigns_the_juror(page, base, coordinator, proposal, juror):
    admin_log_in(page, base, coordinator)
    changelist = reverse("admin:challenges_challengeproposal_changelist")
    page.goto(f"{base}{changelist}?call__id__exact={proposal.call_id}")
    assert "Basegun" in page.inner_text("#result_list")
    assert_no_serious_a11y_violations(page)
    page.check(f"input[name=_selected_action][value='{proposal.pk}']")
    run_admin_action(page, "Affecter des membres du jury")
    assert_no_serious_a11y_violations(page)
    page.check(f"input[name=jurors][value='{juror.pk}']")
    page.click("input[type=submit][value='Affecter']")
    page.wait_for_url(f"**{changelist}**")
    assert "1 affectation créée." in page.inner_text("body")
    assert JuryAssignment.objects.filter(proposal=proposal, juror=juror).exists()


def juror_scores(page, base, proposal):
    """Log in, open the assignment, try to submit an incomplete grid, then submit it complete."""
    page.goto(f"{base}{reverse('account_login')}?next={reverse('jury:list')}")
    page.fill("#id_login", JUROR_EMAIL)
    page.fill("#id_password", JUROR_PASSWORD)
    page.click("button[type=submit]:has-text('Se connecter')")
    page.wait_for_url(f"**{reverse('jury:list')}")
    assert_no_serious_a11y_violations(page)
    page.click("text=Basegun")
    page.wait_for_url("**/defis/jury/*/")
    main = page.inner_text("main")
    assert "Identifier une arme" in main and "presentation.pdf" in main
    assert "Avis de l'autre juré" not in main  # others' reviews hidden before submitting
    assert_no_serious_a11y_violations(page)

    criteria = list(proposal.call.criteria.all())
    page.click(f"label[for=id_score_{criteria[0].pk}_4]")  # 5 (values 1–5, ids 0–4)
    page.fill(f"#id_comment_{criteria[0].pk}", "Besoin clair, usage immédiat sur le terrain.")
    page.fill("#id_comment", "Très bon défi.")
    page.click("button[name=submit]")
    # Incomplete: the error is listed at the top and beside the fields; the typing is kept.
    assert page.locator("#review-errors").is_visible()
    assert page.locator(f"#fieldset-score_{criteria[1].pk}.fr-fieldset--error").is_visible()
    assert page.input_value("#id_comment") == "Très bon défi."
    assert page.is_checked(f"#id_score_{criteria[0].pk}_4")
    assert_no_serious_a11y_violations(page)

    page.click(f"label[for=id_score_{criteria[1].pk}_3]")  # 4
    page.click(f"label[for=id_score_{criteria[2].pk}_2]")  # 3
    page.click("button[name=submit]")
    page.wait_for_url("**/soumission/")  # submitting asks for confirmation
    assert "n'est plus modifiable" in page.inner_text("main")
    assert_no_serious_a11y_violations(page)
    page.click("button:has-text('Confirmer la soumission')")
    page.wait_for_url("**/defis/jury/*/")
    main = page.inner_text("main")
    assert "Évaluation soumise" in main
    assert "Avis de l'autre juré" in main  # now the other juror's review shows
    assert_no_serious_a11y_violations(page)


def coordinator_ranks_and_selects(page, base, coordinator, proposal):
    admin_log_in(page, base, coordinator)
    changelist = reverse("admin:challenges_challengeproposal_changelist")
    page.goto(f"{base}{changelist}?call__id__exact={proposal.call_id}")
    row = page.inner_text("#result_list")
    # Weights 3, 2, 1. Juror: (5×3 + 4×2 + 3×1) / 6 = 26/6 ≈ 4.33; other: 2 → mean 3.17, spread 2.33.
    assert "3,17" in row and "2 / 2" in row and "2,00 – 4,33" in row
    assert_no_serious_a11y_violations(page)
    page.check(f"input[name=_selected_action][value='{proposal.pk}']")
    run_admin_action(page, "Retenir (crée le défi)")
    assert "Retenir ces candidatures" in page.inner_text("main")
    assert_no_serious_a11y_violations(page)
    page.fill("#id_message", "Le jury salue la qualité des données.")
    page.click("input[type=submit][value='Retenir']")
    page.wait_for_url(f"**{changelist}**")
    assert "1 candidature retenue : défi créé." in page.inner_text("body")


def test_jury_scores_coordinator_selects_and_the_challenge_is_public(
    page,
    live_server,
    open_call,
    coordinator,
):
    base = live_server.url
    proposal = agent_submits_a_proposal(page, base, open_call)
    assert proposal.status == ChallengeProposal.Status.SUBMITTED
    juror = make_juror()
    other = make_review(proposal, UserFactory(username="autre"), [2, 2, 2])
    other.comment = "Avis de l'autre juré"
    other.save()

    page.context.clear_cookies()
    coordinator_assigns_the_juror(page, base, coordinator, proposal, juror)
    page.context.clear_cookies()
    juror_scores(page, base, proposal)
    page.context.clear_cookies()
    mail.outbox.clear()
    coordinator_ranks_and_selects(page, base, coordinator, proposal)

    proposal.refresh_from_db()
    assert proposal.status == ChallengeProposal.Status.SELECTED
    challenge = Challenge.objects.get(proposal=proposal)
    assert challenge.promotion == open_call.promotion
    assert {m.name for m in challenge.mentors.all()} == {"Camille Martin", "Dominique Bernard"}
    decision = [m for m in mail.outbox if AGENT_EMAIL in m.to]
    assert len(decision) == 1 and "Le jury salue la qualité des données." in decision[0].body

    page.context.clear_cookies()
    page.goto(f"{base}{reverse('challenges:list')}")
    page.click("text=Basegun")
    page.wait_for_url(f"**{challenge.get_absolute_url()}")
    assert "Basegun" in page.inner_text("h1")
    assert_no_serious_a11y_violations(page)
