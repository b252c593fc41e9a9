"""Issue 13: anonymity on every invitation route, and no 500 from a sign-up race.

An attacker here is the company's manager (or anyone with the database): they may invite
whomever they like, reload pages at will and time their requests, and must still not learn
whether a given person answered, nor which answer came from which invitation (METHODOLOGY
§5, A5 and A7).
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from surveys import services
from surveys.models import InvitationUse, Response, Submission, WaveInvitation
from surveys.services import answers as answer_store
from tests.conftest import only_on
from tests.survey_factories import SurveyFactory, WaveFactory, WaveInvitationFactory

ANSWERS = {"enps": 8, "state_at_work": 7, "process_ease": 6}


@pytest.fixture
def manager(client_for):
    client = client_for("manager")
    client.cookies["cxaudit_language"] = "en"
    return client


def _invite(wave, count: int, *, used: int = 0) -> list[WaveInvitation]:
    invitations = [
        WaveInvitationFactory(wave=wave, email=f"person{n}@example.com", sent_at=timezone.now())
        for n in range(count)
    ]
    for invitation in invitations[:used]:
        InvitationUse.objects.create(invitation=invitation, used_on=timezone.localdate())
    return invitations


def _rows(html: str) -> dict[str, str]:
    """Each invited person's table row, with the e-mail blanked out."""
    return {
        email: row.replace(email, "EMAIL")
        for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S)
        for email in re.findall(r"person\d+@example\.com", row)
    }


# ------------------------------------------------------------ 1. the invitation list


def test_invitation_rows_look_the_same_whether_or_not_the_person_answered(
    manager, company, django_capture_on_commit_callbacks
):
    wave = WaveFactory(survey=SurveyFactory(company=company, employee=True))
    answered, waiting = _invite(wave, 2, used=1)
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(reverse("surveys:wave-remind", args=[wave.pk]))
    page = manager.get(reverse("surveys:wave-invitations", args=[wave.pk]))
    rows = _rows(page.content.decode())
    assert set(rows) == {answered.email, waiting.email}
    assert rows[answered.email] == rows[waiting.email]


def test_answered_count_is_hidden_while_the_wave_is_open(manager, company):
    """Invite one person and reload: the count must not move when they answer (A5)."""
    wave = WaveFactory(survey=SurveyFactory(company=company, employee=True))
    _invite(wave, 12, used=6)
    page = manager.get(reverse("surveys:wave-invitations", args=[wave.pk]))
    assert page.context["participation"]["answered"] is None
    assert page.context["participation"]["rate"] == "—"
    assert 'id="answered"' not in page.content.decode()
    assert "shown after the wave closes" in page.content.decode()


@pytest.mark.parametrize(("invited", "used"), [(1, 1), (6, 6), (6, 0), (9, 5), (9, 4)])
def test_answered_count_is_hidden_after_closing_when_a_side_is_below_k(
    manager, company, invited, used
):
    """k = 5: "all 6 answered", "nobody answered" or "4 of 9" single people out."""
    wave = WaveFactory(survey=SurveyFactory(company=company, employee=True))
    _invite(wave, invited, used=used)
    wave.closed_at = timezone.now()
    wave.save()
    page = manager.get(reverse("surveys:wave-invitations", args=[wave.pk]))
    assert page.context["participation"]["answered"] is None
    assert 'id="answered"' not in page.content.decode()


def test_answered_count_is_shown_after_closing_when_both_sides_reach_k(manager, company):
    wave = WaveFactory(survey=SurveyFactory(company=company, employee=True))
    _invite(wave, 10, used=5)
    wave.closed_at = timezone.now()
    wave.save()
    participation = manager.get(reverse("surveys:wave-invitations", args=[wave.pk])).context[
        "participation"
    ]
    assert (participation["invited"], participation["answered"]) == (10, 5)
    assert participation["rate"] == "50.0%"


def test_the_reminder_message_does_not_count_who_has_not_answered(manager, company):
    wave = WaveFactory(survey=SurveyFactory(company=company, employee=True))
    _invite(wave, 1, used=1)
    page = manager.post(reverse("surveys:wave-remind", args=[wave.pk]), follow=True)
    assert services.wave_remind(wave=wave) == 0
    assert not re.search(r"\d", " ".join(str(message) for message in page.context["messages"]))


def _wave_pages(client_for, wave) -> dict:
    """The survey pages that count responses, in English: a manager's and a staff member's."""
    survey, clients = wave.survey, {}
    for role in ("manager", "staff"):
        clients[role] = client_for(role)
        clients[role].cookies["cxaudit_language"] = "en"
    return {
        "detail": clients["manager"].get(reverse("surveys:survey-detail", args=[survey.pk])),
        "list": clients["manager"].get(reverse("surveys:survey-list", args=[survey.company_id])),
        "results": clients["staff"].get(reverse("surveys:survey-results", args=[survey.pk])),
    }


def test_no_route_counts_the_answers_of_an_open_anonymous_wave(client_for, company):
    """The same attack through the survey pages: invite one person, watch a count move."""
    from tests.survey_factories import answers

    wave = WaveFactory(survey=SurveyFactory(company=company, employee=True))
    answers(wave, [8, 9, 7, 6, 10, 3, 9], key="enps")
    pages = _wave_pages(client_for, wave)
    detail = pages["detail"].content.decode()
    assert "7 responses" not in detail
    assert "counted when the wave closes" in detail
    assert [survey.response_count for survey in pages["list"].context["surveys"]] == [0]
    assert pages["results"].context["pending_waves"] == [(wave, None)]
    assert "so far" not in pages["results"].content.decode()


def test_a_closed_anonymous_wave_shows_its_count_only_from_k(client_for, company):
    from tests.survey_factories import answers

    small = WaveFactory(survey=SurveyFactory(company=company, employee=True), closed=True)
    answers(small, [8, 9, 7], key="enps")
    big = WaveFactory(survey=small.survey, closed=True)
    answers(big, [8, 9, 7, 6, 10, 3], key="enps")
    pages = _wave_pages(client_for, small)
    detail = pages["detail"].content.decode()
    assert "3 responses" not in detail
    assert "fewer than 5 responses" in detail
    assert "6 responses" in detail
    assert [survey.response_count for survey in pages["list"].context["surveys"]] == [6]


# ------------------------------------------------ 2. the use and the answer, kept apart


@pytest.fixture
def invitation(company):
    wave = WaveFactory(survey=SurveyFactory(company=company, employee=True))
    return WaveInvitationFactory(wave=wave, sent_at=timezone.now())


def _submit(invitation, token: str) -> bool:
    return services.response_submit(
        wave=invitation.wave, submission_token=token, answers=ANSWERS, invitation=invitation
    )


def _xmin(model, pk) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {table} WHERE {column} = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_use_and_the_answer_are_written_in_different_transactions(invitation):
    only_on("postgresql")
    assert _submit(invitation, "x" * 24)
    response = Response.objects.get()
    assert _xmin(InvitationUse, invitation.pk) != _xmin(Response, response.pk)
    # The submission token is written with the answer and carries no invitation.
    assert _xmin(Submission, "x" * 24) == _xmin(Response, response.pk)


@pytest.mark.django_db(transaction=True)
def test_a_failed_store_releases_the_invitation(invitation, monkeypatch):
    def broken(response, **_stored):
        raise RuntimeError("the database went away")

    with monkeypatch.context() as patched:
        patched.setattr(answer_store, "_response_store", broken)
        with pytest.raises(RuntimeError):
            _submit(invitation, "f" * 24)
    assert not InvitationUse.objects.exists()
    assert _submit(invitation, "f" * 24)  # the link works again
    assert InvitationUse.objects.filter(invitation=invitation).exists()
    assert Response.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_used_submission_token_releases_the_invitation(invitation):
    assert services.response_submit(
        wave=invitation.wave, submission_token="u" * 24, answers=ANSWERS
    )
    assert not _submit(invitation, "u" * 24)  # the same form sent again, through the link
    assert not InvitationUse.objects.exists()
    assert Response.objects.count() == 1
    assert _submit(invitation, "v" * 24)


@pytest.mark.django_db(transaction=True)
def test_a_second_use_of_the_invitation_is_refused(invitation, client):
    assert _submit(invitation, "a" * 24)
    assert not _submit(invitation, "b" * 24)
    assert not _submit(invitation, "a" * 24)
    assert Response.objects.count() == 1
    assert InvitationUse.objects.count() == 1
    page = client.get(reverse("surveys:respond-invited", args=[invitation.token]))
    assert page.status_code != 500
    assert "form" not in (page.context or {})


# ------------------------------------------------ 3. two sign-ups from one invitation


def _accept_url(invitation) -> str:
    from cxaudit.accounts.services import invitation_token

    return reverse("accounts:invitation-accept", args=[invitation_token(invitation)])


SIGN_UP = {
    "full_name": "Nina New",
    "password1": "sturdy-pass-9421",
    "password2": "sturdy-pass-9421",
}


def test_a_sign_up_racing_another_gets_a_message_not_a_500(client, company, monkeypatch):
    """The other request creates the account between our check and our insert."""
    from cxaudit.accounts.models import Membership, User
    from tests.factories import InvitationFactory, UserFactory

    invitation = InvitationFactory(organisation=company, email="nina@example.com")
    create_user = User.objects.create_user

    def racing(email, password=None, **fields):
        UserFactory(email="nina@example.com")  # the other request got there first
        return create_user(email, password, **fields)

    monkeypatch.setattr(User.objects, "create_user", racing)
    client.cookies["cxaudit_language"] = "en"
    response = client.post(_accept_url(invitation), SIGN_UP)
    assert response.status_code == 410
    assert "An account with this e-mail exists already" in response.content.decode()
    assert User.objects.filter(email="nina@example.com").count() <= 1
    assert not Membership.objects.filter(organisation=company, user__email="nina@example.com")
    invitation.refresh_from_db()
    assert invitation.accepted_at is None  # nothing stored: the link still works once


def test_accepting_one_invitation_twice_stores_one_membership(company, actors):
    from cxaudit.accounts import services as account_services
    from cxaudit.accounts.models import Membership
    from tests.factories import InvitationFactory

    person = actors["other_staff"]
    invitation = InvitationFactory(organisation=company, email=person.email)
    account_services.invitation_accept(invitation=invitation, user=person)
    with pytest.raises(account_services.InvitationInvalid, match="already been used"):
        account_services.invitation_accept(invitation=invitation, user=person)
    assert Membership.objects.filter(user=person, organisation=company).count() == 1


# ------------------------------------------------ 4. e-mail addresses ignore case


def test_sign_in_ignores_the_case_of_the_email(client, actors):
    from tests.factories import PASSWORD

    response = client.post(
        reverse("accounts:login"), {"username": "Consultant@Example.COM", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_lockout_counts_every_spelling_of_one_email(client, actors, settings):
    from tests.factories import PASSWORD

    spellings = ["consultant@example.com", "CONSULTANT@example.com", "Consultant@Example.com"]
    url = reverse("accounts:login")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": spellings[attempt % 3], "password": "wrong-password"})
    locked = client.post(url, {"username": "consultant@EXAMPLE.com", "password": PASSWORD})
    assert locked.status_code == 429
    assert client.get(reverse("dashboard")).status_code == 302


def test_invitations_and_sign_ups_store_the_email_lower_cased(client_for, client, company):
    from cxaudit.accounts.models import Invitation, User

    client_for("consultant").post(
        reverse("accounts:invitation-create", args=[company.pk]),
        {"email": "Nina.New@Example.COM", "role": "staff", "language": "en"},
    )
    invitation = Invitation.objects.get()
    assert invitation.email == "nina.new@example.com"
    client.post(_accept_url(invitation), SIGN_UP)
    assert list(User.objects.filter(full_name="Nina New").values_list("email", flat=True)) == [
        "nina.new@example.com"
    ]


def test_an_account_in_another_case_is_not_duplicated(client, company):
    from cxaudit.accounts.models import User
    from tests.factories import InvitationFactory, UserFactory

    UserFactory(email="vera@example.com")
    invitation = InvitationFactory(organisation=company, email="Vera@Example.com")
    page = client.get(_accept_url(invitation))
    assert "sign_in_url" in page.context  # asked to sign in, not to sign up
    client.post(_accept_url(invitation), SIGN_UP)
    assert User.objects.filter(email__iexact="vera@example.com").count() == 1
    user = User(email="Vera@Example.com")
    user.set_unusable_password()
    with pytest.raises(ValidationError) as refused:
        user.full_clean()  # clean() lower-cases it, then the unique check finds the account
    assert "email" in refused.value.error_dict
