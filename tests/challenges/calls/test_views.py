"""Agent-side views of the call for projects: public calls, sign-up, the proposal form, access."""

import re
import threading
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from challenges.calls import services
from challenges.models import AgentProfile, ChallengeProposal, ProposalVersion
from tests.challenges import proposal_helpers
from tests.challenges.call_builders import make_agent, make_call
from tests.challenges.proposal_helpers import complete_fields, form_data, paris, pdf_file
from tests.factories import AdministrationFactory, UserFactory

pytestmark = pytest.mark.django_db
clock = proposal_helpers.clock  # fixture
Status = ChallengeProposal.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_draft(call, agent, **fields):
    return services.proposal_create(
        call=call, user=agent, creation_token=uuid.uuid4(), data=complete_fields(**fields)
    )


def edit_url(proposal, step="defi"):
    return reverse("proposals:edit", args=[proposal.pk, step])


# --- public pages ------------------------------------------------------------------------


def test_open_calls_show_the_exact_deadline_in_paris_time(client, clock):
    clock(paris(2027, 3, 4, 12, 0))
    call = make_call(title="Appel EIG 8")
    call.closes_at = paris(2027, 3, 7, 23, 59, 59)
    call.save()
    response = client.get(reverse("calls:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Appel EIG 8" in html
    assert "jusqu&#x27;au 7 mars 2027 à 23 h 59, heure de Paris" in html
    assert "Plus que 3 jours" in html


def test_the_countdown_is_hidden_while_the_deadline_is_far(client, clock):
    clock(paris(2027, 1, 4, 12, 0))
    call = make_call(title="Appel lointain")
    call.closes_at = paris(2027, 3, 7, 23, 59, 59)
    call.save()
    html = client.get(reverse("calls:list")).content.decode()
    assert "Appel lointain" in html
    assert "Plus que" not in html


def test_summer_deadline_is_shown_in_paris_time_not_utc(client, clock):
    clock(paris(2027, 7, 1, 12, 0))
    call = make_call()
    call.closes_at = paris(2027, 7, 15, 23, 59, 59)
    call.save()
    html = client.get(call.get_absolute_url()).content.decode()
    assert "15 juillet 2027 à 23 h 59, heure de Paris" in html


def test_unpublished_calls_are_not_listed_nor_shown(client):
    call = make_call(is_published=False, title="Appel secret")
    assert "Appel secret" not in client.get(reverse("calls:list")).content.decode()
    assert client.get(call.get_absolute_url()).status_code == 404


def test_call_pages_refuse_post(client):
    call = make_call()
    assert client.post(reverse("calls:list")).status_code == 405
    assert client.post(call.get_absolute_url()).status_code == 405


def test_call_list_query_count_is_bounded(client, django_assert_max_num_queries):
    for _ in range(5):
        make_call()
    with django_assert_max_num_queries(6):
        client.get(reverse("calls:list"))


# --- sign-up -------------------------------------------------------------------------------


def test_signup_ties_the_account_to_an_administration_and_requires_email_verification(client):
    administration = AdministrationFactory(name="Direction du numérique")
    response = client.post(
        reverse("account_signup"),
        {
            "email": "agent@example.gouv.fr",
            "first_name": "Alex",
            "last_name": "Durand",
            "administration": administration.pk,
            "password1": "un-mot-de-passe-solide-2027",
            "password2": "un-mot-de-passe-solide-2027",
        },
    )
    assert response.status_code == 302
    profile = AgentProfile.objects.get(user__email="agent@example.gouv.fr")
    assert profile.administration == administration
    assert not profile.is_confirmed
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/comptes/confirm-email/\S+/", mail.outbox[0].body).group(0)
    # Not verified yet: logging in is refused (redirected to the verification page).
    assert client.post(
        reverse("account_login"),
        {"login": "agent@example.gouv.fr", "password": "un-mot-de-passe-solide-2027"},
    ).url == reverse("account_email_verification_sent")
    path = link.split("testserver", 1)[-1]
    assert client.post(path).status_code == 302
    assert profile.user.emailaddress_set.get().verified


def test_signup_without_administration_shows_the_error_and_keeps_the_typing(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "agent@example.gouv.fr",
            "first_name": "Alex",
            "last_name": "Durand",
            "password1": "un-mot-de-passe-solide-2027",
            "password2": "un-mot-de-passe-solide-2027",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choisissez votre administration" in html
    assert 'value="agent@example.gouv.fr"' in html
    assert 'value="Durand"' in html
    assert "error-summary" in html
    assert not AgentProfile.objects.exists()


def test_signup_with_a_requested_administration_creates_it_unconfirmed(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "agent2@example.gouv.fr",
            "first_name": "Sam",
            "last_name": "Leroy",
            "requested_administration_name": "Office national des forêts",
            "password1": "un-mot-de-passe-solide-2027",
            "password2": "un-mot-de-passe-solide-2027",
        },
    )
    profile = AgentProfile.objects.get(user__email="agent2@example.gouv.fr")
    assert profile.administration.name == "Office national des forêts"
    assert profile.administration.is_confirmed is False


# --- creation ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_for_every_agent_page(client):
    call = make_call()
    proposal = make_draft(call, make_agent())
    attachment = services.attachment_add(
        proposal=proposal, user=proposal.created_by, uploaded_file=pdf_file()
    )
    urls = [
        reverse("calls:propose", args=[call.slug]),
        reverse("proposals:list"),
        proposal.get_absolute_url(),
        edit_url(proposal),
        reverse("proposals:submit", args=[proposal.pk]),
        reverse("proposals:withdraw", args=[proposal.pk]),
        attachment.get_absolute_url(),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def test_creating_a_proposal_twice_with_the_same_form_makes_one(client):
    call, agent = make_call(), make_agent()
    client.force_login(agent)
    url = reverse("calls:propose", args=[call.slug])
    form = client.get(url)
    token = re.search(r'name="creation_token" value="([0-9a-f-]+)"', form.content.decode())[1]
    data = {"creation_token": token, "title": "Mon défi"}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert ChallengeProposal.objects.get().title == "Mon défi"


def test_a_user_without_administration_cannot_propose():
    call = make_call()
    response = logged(UserFactory()).get(reverse("calls:propose", args=[call.slug]))
    assert response.status_code == 403


def test_create_view_refuses_put():
    call = make_call()
    response = logged(make_agent()).put(reverse("calls:propose", args=[call.slug]))
    assert response.status_code == 405


# --- editing -------------------------------------------------------------------------------


def test_saving_a_step_stores_the_draft_and_goes_to_the_next_step():
    agent = make_agent()
    proposal = make_draft(make_call(), agent)
    client = logged(agent)
    response = client.post(
        edit_url(proposal, "equipe"),
        {**form_data(mentor_name="Léa Petit"), "version": proposal.version, "continue": "1"},
    )
    assert response.status_code == 302
    assert response.url == edit_url(proposal, "profils")
    proposal.refresh_from_db()
    assert (proposal.mentor_name, proposal.version) == ("Léa Petit", 2)


def test_a_300_character_title_by_crafted_post_is_a_form_error_not_a_500():
    agent = make_agent()
    proposal = make_draft(make_call(), agent)
    response = logged(agent).post(
        edit_url(proposal), {"title": "T" * 300, "summary": "Résumé gardé", "version": 1}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "au plus 200 caractères" in html
    assert "Résumé gardé" in html
    assert 'href="#id_title"' in html  # listed in the summary, linked to the field
    assert 'aria-describedby="id_title_helptext id_title-desc-error"' in html
    proposal.refresh_from_db()
    assert proposal.version == 1


def test_garbage_version_and_unknown_step_do_not_crash():
    agent = make_agent()
    proposal = make_draft(make_call(), agent)
    client = logged(agent)
    assert client.post(edit_url(proposal), {"title": "x", "version": "abc"}).status_code == 200
    assert client.get(edit_url(proposal, "inconnue")).status_code == 404


def test_two_tab_conflict_refuses_the_second_save_and_keeps_its_text():
    author = make_agent()
    colleague = make_agent(author.agent_profile.administration)
    proposal = make_draft(make_call(), author)
    tab_a, tab_b = logged(author), logged(colleague)
    assert tab_a.post(edit_url(proposal), {"context": "Version A", "version": 1}).status_code == 302
    response = tab_b.post(edit_url(proposal), {"context": "Version B à reporter", "version": 1})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Version B à reporter" in html
    assert "version plus récente" in html
    assert "Version A" in html  # the newer saved value is shown for comparison
    proposal.refresh_from_db()
    assert proposal.context == "Version A"
    # Saving again from the re-shown form (new version) is a deliberate overwrite.
    assert 'name="version" value="2"' in html


def test_a_non_pdf_attachment_is_a_form_error_and_other_fields_are_kept():
    from django.core.files.uploadedfile import SimpleUploadedFile

    agent = make_agent()
    proposal = make_draft(make_call(), agent)
    response = logged(agent).post(
        edit_url(proposal, "financement"),
        {
            "funding_notes": "Notes à ne pas perdre",
            "cofunding_share": "40",
            "version": 1,
            "attachment": SimpleUploadedFile("dossier.pdf", b"MZ\x90\x00 not a pdf" * 10),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "n&#x27;est pas un PDF" in html
    assert "Notes à ne pas perdre" in html
    assert not proposal.attachments.exists()


def test_an_attachment_over_10_mb_is_a_form_error():
    agent = make_agent()
    proposal = make_draft(make_call(), agent)
    response = logged(agent).post(
        edit_url(proposal, "financement"),
        {
            "funding_notes": "Gardé",
            "version": 1,
            "attachment": pdf_file(size=10 * 1024 * 1024 + 10),
        },
    )
    assert response.status_code == 200
    assert "dépasse 10 Mo" in response.content.decode()
    assert "Gardé" in response.content.decode()
    assert not proposal.attachments.exists()


def test_a_pdf_attachment_is_saved_and_downloadable_by_colleagues_and_staff(coordinator):
    agent = make_agent()
    proposal = make_draft(make_call(), agent)
    response = logged(agent).post(
        edit_url(proposal, "financement"),
        {"version": 1, "cofunding_share": "20", "attachment": pdf_file("Étude.pdf")},
    )
    assert response.status_code == 302
    attachment = proposal.attachments.get()
    for user in (agent, make_agent(agent.agent_profile.administration), coordinator):
        download = logged(user).get(attachment.get_absolute_url())
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert "attachment" in download["Content-Disposition"]
        assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_editing_after_the_deadline_is_refused_and_the_typing_kept(clock):
    call = make_call()
    call.closes_at = paris(2027, 3, 7, 23, 59, 59)
    call.opens_at = paris(2027, 1, 1, 0, 0)
    call.save()
    agent = make_agent()
    clock(paris(2027, 3, 1, 10, 0))
    proposal = make_draft(call, agent)
    clock(paris(2027, 3, 8, 0, 0, 1))
    response = logged(agent).post(edit_url(proposal), {"title": "Après minuit", "version": 1})
    assert response.status_code == 403
    assert "Après minuit" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.title != "Après minuit"


# --- another administration: 404 everywhere -------------------------------------------------


def test_an_agent_of_another_administration_gets_404_on_view_edit_and_attachment():
    owner = make_agent()
    proposal = make_draft(make_call(), owner)
    attachment = services.attachment_add(proposal=proposal, user=owner, uploaded_file=pdf_file())
    intruder = logged(make_agent())
    assert intruder.get(proposal.get_absolute_url()).status_code == 404
    assert intruder.get(edit_url(proposal)).status_code == 404
    assert intruder.post(edit_url(proposal), {"title": "Piraté", "version": 1}).status_code == 404
    assert intruder.post(reverse("proposals:submit", args=[proposal.pk])).status_code == 404
    assert intruder.post(reverse("proposals:withdraw", args=[proposal.pk])).status_code == 404
    assert intruder.get(attachment.get_absolute_url()).status_code == 404
    assert (
        intruder.post(
            reverse("proposals:attachment_delete", args=[proposal.pk, attachment.pk])
        ).status_code
        == 404
    )
    proposal.refresh_from_db()
    assert proposal.title != "Piraté"
    assert proposal.status == Status.DRAFT
    assert proposal.attachments.count() == 1


def test_wrong_methods_are_refused():
    agent = make_agent()
    proposal = make_draft(make_call(), agent)
    attachment = services.attachment_add(proposal=proposal, user=agent, uploaded_file=pdf_file())
    client = logged(agent)
    assert client.post(proposal.get_absolute_url()).status_code == 405
    assert client.post(attachment.get_absolute_url()).status_code == 405
    assert client.post(reverse("proposals:list")).status_code == 405
    assert (
        client.put(
            reverse("proposals:attachment_delete", args=[proposal.pk, attachment.pk])
        ).status_code
        == 405
    )
    assert client.delete(edit_url(proposal)).status_code == 405


def test_the_delete_button_saves_the_typing_then_asks_for_confirmation():
    agent = make_agent()
    proposal = make_draft(make_call(), agent)
    attachment = services.attachment_add(proposal=proposal, user=agent, uploaded_file=pdf_file())
    client = logged(agent)
    confirm_url = reverse("proposals:attachment_delete", args=[proposal.pk, attachment.pk])

    response = client.post(
        edit_url(proposal, "financement"),
        {"cofunding_share": "30", "version": proposal.version, "delete_attachment": attachment.pk},
    )

    assert response.status_code == 302 and response.url == confirm_url
    proposal.refresh_from_db()
    assert proposal.cofunding_share == 30 and proposal.attachments.count() == 1
    page = client.get(confirm_url).content.decode()
    assert "Confirmer la suppression" in page and attachment.original_name in page
    assert client.post(confirm_url).status_code == 302
    assert proposal.attachments.count() == 0


def test_the_first_submit_button_of_the_funding_step_saves_not_deletes():
    agent = make_agent()
    proposal = make_draft(make_call(), agent)
    services.attachment_add(proposal=proposal, user=agent, uploaded_file=pdf_file())
    html = logged(agent).get(edit_url(proposal, "financement")).content.decode()
    first_button = re.search(
        r"<button[^>]*>", html.split("<main")[1].split('<form method="post"')[1]
    )
    assert 'name="save"' in first_button.group(0)


# --- submission ----------------------------------------------------------------------------


def test_submitting_an_incomplete_proposal_lists_every_error_at_the_top_and_beside_fields():
    agent = make_agent()
    proposal = services.proposal_create(call=make_call(), user=agent, data={"title": "Titre"})
    response = logged(agent).post(
        reverse("proposals:submit", args=[proposal.pk]), {"version": proposal.version}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html
    for field in ("summary", "mentor_email", "sponsor_name", "cofunding_share"):
        assert f'href="#id_{field}"' in html
        assert f'id="id_{field}-desc-error"' in html
    assert 'value="Titre"' in html
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT


def test_full_form_submission_saves_then_submits():
    agent = make_agent()
    proposal = services.proposal_create(call=make_call(), user=agent, data={"title": "Titre"})
    response = logged(agent).post(
        reverse("proposals:submit", args=[proposal.pk]),
        {**form_data(), "full": "1", "version": proposal.version},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert proposal.title == "Prévenir les ruptures d'approvisionnement"


def test_posting_the_same_full_form_twice_redirects_with_already_submitted():
    agent = make_agent()
    proposal = services.proposal_create(call=make_call(), user=agent, data={"title": "Titre"})
    client = logged(agent)
    url = reverse("proposals:submit", args=[proposal.pk])
    data = {**form_data(), "full": "1", "version": proposal.version}
    assert client.post(url, data).status_code == 302

    response = client.post(url, data, follow=True)

    assert response.redirect_chain == [(proposal.get_absolute_url(), 302)]
    assert "déjà déposée" in response.content.decode()
    assert ProposalVersion.objects.filter(proposal=proposal).count() == 1


def test_posting_a_changed_full_form_on_an_old_version_is_still_a_conflict():
    agent = make_agent()
    proposal = services.proposal_create(call=make_call(), user=agent, data={"title": "Titre"})
    client = logged(agent)
    url = reverse("proposals:submit", args=[proposal.pk])
    data = {**form_data(), "full": "1", "version": proposal.version}
    client.post(url, data)

    response = client.post(url, {**data, "town": "Lyon"})

    assert response.status_code == 409
    assert 'value="Lyon"' in response.content.decode()


def test_submission_page_then_detail_shows_history_and_versions():
    agent = make_agent()
    proposal = make_draft(make_call(), agent)
    client = logged(agent)
    assert client.get(reverse("proposals:submit", args=[proposal.pk])).status_code == 200
    response = client.post(reverse("proposals:submit", args=[proposal.pk]), {"version": 1})
    assert response.status_code == 302
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Déposée" in html
    assert "Version 1, déposée le" in html


def test_submission_one_second_after_the_deadline_is_refused_by_the_server(clock):
    call = make_call()
    call.opens_at, call.closes_at = paris(2027, 1, 1, 0, 0), paris(2027, 3, 7, 23, 59, 59)
    call.save()
    agent = make_agent()
    clock(paris(2027, 3, 1, 10, 0))
    proposal = make_draft(call, agent)
    clock(paris(2027, 3, 8, 0, 0, 0))
    response = logged(agent).post(reverse("proposals:submit", args=[proposal.pk]), {"version": 1})
    assert response.status_code == 403
    assert "date limite est dépassée" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT


def test_withdrawing_from_the_page():
    agent = make_agent()
    proposal = make_draft(make_call(), agent)
    client = logged(agent)
    assert client.get(reverse("proposals:withdraw", args=[proposal.pk])).status_code == 200
    response = client.post(reverse("proposals:withdraw", args=[proposal.pk]), {"message": "Non"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN


def test_detail_query_count_is_bounded(django_assert_max_num_queries):
    agent = make_agent()
    proposal = make_draft(make_call(), agent)
    for _ in range(3):
        services.attachment_add(proposal=proposal, user=agent, uploaded_file=pdf_file())
    services.proposal_submit(proposal_id=proposal.pk, user=agent)
    client = logged(agent)
    with django_assert_max_num_queries(14):
        assert client.get(proposal.get_absolute_url()).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_post_of_the_final_submission_makes_one_submission():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    agent = make_agent()
    proposal = make_draft(make_call(), agent)
    url = reverse("proposals:submit", args=[proposal.pk])
    barrier = threading.Barrier(2)
    statuses = []

    def post():
        from django.db import connections

        client = logged(agent)
        barrier.wait(timeout=10)
        statuses.append(client.post(url, {"version": 1}).status_code)
        connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert statuses == [302, 302]
    assert ChallengeProposal.objects.count() == 1
    assert ProposalVersion.objects.filter(proposal=proposal).count() == 1
    assert proposal.status_changes.filter(to_status=Status.SUBMITTED).count() == 1


def test_timezone_now_is_the_submission_moment():
    agent = make_agent()
    proposal = make_draft(make_call(), agent)
    before = timezone.now()
    logged(agent).post(reverse("proposals:submit", args=[proposal.pk]), {"version": 1})
    proposal.refresh_from_db()
    assert before <= proposal.submitted_at <= timezone.now() + timedelta(seconds=1)


def test_the_agents_list_flags_a_proposal_modified_since_submission(client):
    from challenges.calls.services import proposal_save_draft
    from tests.challenges.call_builders import make_proposal

    proposal = make_proposal(make_call(), title="Cadastre")
    proposal_save_draft(
        proposal=proposal, user=proposal.created_by, data={"town": "Lyon"}, expected_version=1
    )
    client.force_login(proposal.created_by)
    html = client.get(reverse("proposals:list")).content.decode()
    assert "Modifiée depuis le dépôt" in html


def test_the_correction_message_shows_at_the_top_of_the_proposal_and_of_the_form(coordinator):
    from tests.challenges.call_builders import make_proposal

    proposal = make_proposal(make_call(), title="À corriger")
    services.proposal_request_correction(
        proposal=proposal, by=coordinator, message="Précisez le mentor."
    )
    client = logged(proposal.created_by)
    for url in (
        proposal.get_absolute_url(),
        edit_url(proposal),
        reverse("proposals:submit", args=[proposal.pk]),
    ):
        html = client.get(url).content.decode()
        assert html.index("Précisez le mentor.") < html.index(
            "portal-steps" if "etape" in url else "fr-badge"
        )


def test_the_check_step_lists_missing_fields_with_links_and_summarises_the_content():
    agent = make_agent()
    proposal = services.proposal_create(
        call=make_call(), user=agent, data={"title": "Titre", "town": "Lyon"}
    )
    html = logged(agent).get(reverse("proposals:submit", args=[proposal.pk])).content.decode()
    missing = html.split('id="missing-fields"')[1].split("</ul>")[0]
    assert edit_url(proposal, "equipe") + "#id_mentor_name" in missing
    assert edit_url(proposal, "financement") + "#id_cofunding_share" in missing
    assert "Récapitulatif de la candidature" in html and "Lyon" in html


def test_required_markers_and_progress_show_from_the_first_display():
    agent = make_agent()
    proposal = services.proposal_create(call=make_call(), user=agent, data={"title": "Titre"})
    html = logged(agent).get(edit_url(proposal, "equipe")).content.decode()
    assert html.count("Obligatoire pour déposer.") == 8  # the team's eight fields
    assert 'value="0"' in html.split('id="proposal-progress"')[1].split("</p>")[0]
    assert "0 section complète sur 5" in html  # French plural rule: 0 is singular
