"""Issue 12 finding 5, under real concurrency (PostgreSQL, one thread and connection per
request): six people registering one email at once get one account and five ordinary "already
exists" messages (the old code: five 500s); a double click that sends one form twice at the
same moment saves it once."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from centres.models import Membership
from centres.roles import Role
from submissions.tests.test_tokens import token_of
from submissions.tokens import FIELD_NAME
from support.models import SupportTicket
from tests.factories import CentreFactory, MembershipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(posts) -> list:
    """Run each `post()` in its own thread, released together; returns the responses."""
    barrier = threading.Barrier(len(posts))
    responses = [None] * len(posts)

    def run(index, post):
        try:
            barrier.wait()
            responses[index] = post()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return responses


def _registration(email: str) -> dict:
    return {
        "first_name": "Tara",
        "last_name": "Underhill",
        "email": email,
        "job_group": "1",
        "has_prn": "no",
        "password1": "wards-and-whistles-2026",
        "password2": "wards-and-whistles-2026",
        "terms": "on",
    }


def test_six_parallel_registrations_with_one_email_make_one_account_and_no_errors():
    centre = CentreFactory()
    url = reverse("register", kwargs={"code": centre.code})
    clients = [Client(raise_request_exception=False) for _ in range(6)]
    # Six people, six forms: each with its own token.
    posts = [
        (lambda c=c: c.post(url, {**_registration("same.person@trust.nhs.example"), FIELD_NAME: token_of(c.get(url))}))
        for c in clients
    ]
    responses = _at_once(posts)
    statuses = sorted(response.status_code for response in responses)
    # The registration page answers an existing email exactly as a new one (no account oracle,
    # issue 11 finding 7): every sender is sent to "Check your email", none gets a 500.
    assert statuses == [302] * 6
    assert User.objects.filter(email="same.person@trust.nhs.example").count() == 1
    assert Membership.objects.filter(centre=centre).count() == 1


def test_parallel_registrations_by_the_centre_of_one_email_register_once():
    admins = [MembershipFactory(role=Role.ADMINISTRATOR)]
    centre = admins[0].centre
    admins += [MembershipFactory(role=Role.ADMINISTRATOR, centre=centre) for _ in range(3)]
    url = reverse("centres:register_delegate")
    data = {"first_name": "Will", "last_name": "Test", "email": "will@catmail.example", "job_group": "1"}
    data |= {"has_prn": "no", "welcome": "now"}

    def poster(admin):
        client = Client(raise_request_exception=False)
        client.force_login(admin.user, backend="allauth.account.auth_backends.AuthenticationBackend")
        session = client.session
        from centres.middleware import SESSION_KEY

        session[SESSION_KEY] = centre.pk
        session.save()
        token = token_of(client.get(url))
        return lambda: client.post(url, {**data, FIELD_NAME: token})

    responses = _at_once([poster(admin) for admin in admins])
    assert sorted(response.status_code for response in responses) == [302, 400, 400, 400]
    assert Membership.objects.filter(centre=centre, user__email="will@catmail.example").count() == 1
    for response in responses:
        if response.status_code == 400:
            # The account ownership rule's wording (issue 11): the losers' email is now an
            # existing delegate's (or, before their commit is seen, an existing account's).
            page = response.content.decode()
            assert "already in use by another delegate" in page or "belongs to an existing account" in page


def test_one_form_sent_twice_at_the_same_moment_is_saved_once():
    admin = MembershipFactory(role=Role.ADMINISTRATOR)
    url = reverse("centres:support_ticket_new")
    from centres.middleware import SESSION_KEY

    client = Client(raise_request_exception=False)
    client.force_login(admin.user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[SESSION_KEY] = admin.centre.pk
    session.save()
    data = {"subject": "Cannot approve", "category": "delegates", "detail": "Nothing happens."}
    data[FIELD_NAME] = token_of(client.get(url))
    responses = _at_once([lambda: client.post(url, data) for _ in range(4)])
    assert [response.status_code for response in responses] == [302] * 4
    assert len({response["Location"] for response in responses}) == 1
    assert SupportTicket.objects.count() == 1
