"""Issue 12 finding 5: every create form is saved once per rendered form. Each case loads the
form (which must carry a token), posts it twice and counts what was created. On the old code
every case made two objects (or answered 500 on the second post)."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from centres.models import Membership
from centres.roles import Role
from passports.models import StaffListEntry
from referrals.models import Referral, ReferralNote
from referrals.tests.factories import ReferralFactory, register_build, register_person
from submissions.models import SubmissionToken
from submissions.tokens import ALREADY_SAVED, FIELD_NAME, KEEP_FOR, submission_tokens_expire
from support.models import SupportTicket, SupportTicketReply
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rf'name="{FIELD_NAME}" value="([0-9a-f]{{32}})"')


def token_of(response) -> str:
    assert response.status_code == 200, response.status_code
    found = TOKEN.findall(response.content.decode())
    assert found, "the form has no submission token"
    return found[-1]


def _logged_in(login_as, user, centre) -> Client:
    return login_as(user, centre, test_client=Client())


def case_support_ticket(login_as):
    admin = MembershipFactory(role=Role.ADMINISTRATOR)
    client = _logged_in(login_as, admin.user, admin.centre)
    data = {"subject": "Cannot approve", "category": "delegates", "detail": "The button does nothing."}
    return client, reverse("centres:support_ticket_new"), data, SupportTicket.objects.count


def case_support_reply(login_as):
    from support.services import support_ticket_raise

    admin = MembershipFactory(role=Role.ADMINISTRATOR)
    ticket = support_ticket_raise(
        centre=admin.centre, raised_by=admin.user, subject="Help", category="delegates", detail="Please"
    )
    client = _logged_in(login_as, admin.user, admin.centre)
    url = reverse("centres:support_ticket", kwargs={"ticket_id": ticket.public_id})
    return client, url, {"body": "Still broken."}, SupportTicketReply.objects.count


def case_register_delegate(login_as):
    admin = MembershipFactory(role=Role.ADMINISTRATOR)
    client = _logged_in(login_as, admin.user, admin.centre)
    data = {
        "first_name": "Will",
        "last_name": "Test",
        "email": "will.test@catmail.example",
        "job_group": "1",
        "has_prn": "no",
        "welcome": "now",
    }
    return client, reverse("centres:register_delegate"), data, Membership.objects.count


def case_self_registration(login_as):
    centre = CentreFactory()
    data = {
        "first_name": "Tara",
        "last_name": "Underhill",
        "email": "tara.underhill@trust.nhs.example",
        "job_group": "1",
        "has_prn": "no",
        "password1": "wards-and-whistles-2026",
        "password2": "wards-and-whistles-2026",
        "terms": "on",
    }
    return Client(), reverse("register", kwargs={"code": centre.code}), data, Membership.objects.count


def case_staff_add(login_as):
    educator = MembershipFactory(role=Role.EDUCATOR)
    client = _logged_in(login_as, educator.user, educator.centre)
    data = {"emails": "new.person@trust.nhs.example"}
    return client, reverse("passports:staff_add"), data, StaffListEntry.objects.count


def _register_world():
    north, south = CentreFactory(name="North Trust"), CentreFactory(name="South Council")
    register_build(centres=[north, south])
    return north


def case_referral_note(login_as):
    north = _register_world()
    referrer = register_person(centre=north, role=Role.REFERRER)
    referral = ReferralFactory(centre=north, created_by=referrer)
    client = _logged_in(login_as, referrer, north)
    url = reverse("referrals:notes", kwargs={"referral_id": referral.public_id})
    return client, url, {"body": "Spoke to the family."}, ReferralNote.objects.count


def case_referral_create(login_as):
    north = _register_world()
    referrer = register_person(centre=north, role=Role.REFERRER)
    client = _logged_in(login_as, referrer, north)
    data = {
        "has_capacity": "yes",
        "consent_given": "yes",
        "first_name": "Jamie",
        "last_name": "Rivers",
        "date_of_birth-day": "15",
        "date_of_birth-month": "3",
        "date_of_birth-year": "1998",
        "nhs_number": "943 476 5919",
        "condition": "autism",
        "ethnicity": "A",
        "locality": "North Staffordshire & Stoke on Trent",
        "criminal_justice": "dont_know",
        "risk": "amber",
        "latest_update": "Placement at risk of breaking down.",
    }
    return client, reverse("referrals:create"), data, Referral.objects.count


def case_register_user_add(login_as):
    north = _register_world()
    admin = register_person(centre=north, role=Role.DSR_ADMIN)
    client = _logged_in(login_as, admin, north)
    data = {
        "first_name": "Rita",
        "last_name": "Reporter",
        "email": "rita@north.example",
        "organisation": north.pk,
        "role": Role.DSR_REPORTING.value,
    }
    return client, reverse("referrals:user_add"), data, User.objects.count


def case_confirmation_request(login_as):
    from passports.models import ConfirmationRequest
    from passports.services.assessment import result_assess
    from passports.tests.factories import enrolment_build, framework_version_build

    enrolment = enrolment_build(centre=CentreFactory(), version=framework_version_build(sections=1, per_section=2))
    learner = enrolment.membership.user
    for result in enrolment.results.all():
        result_assess(result=result, answer="achieved", action_plan="", actor=learner)
    client = _logged_in(login_as, learner, enrolment.centre)
    url = reverse("passports:learner_request_confirmation", kwargs={"enrolment_id": enrolment.public_id})
    data = {"supervisor": str(enrolment.supervisors.get().user.public_id), "results": ["1"]}
    return client, url, data, ConfirmationRequest.objects.count


def case_register_join(login_as):
    from referrals.tests.factories import register_build as build

    north = CentreFactory()
    register = build(name="Join DSR", slug="join-dsr", centres=[north], domains={north: ["north.example"]})
    url = reverse("referrals:signup", kwargs={"register_slug": register.slug})
    data = {"first_name": "Jo", "last_name": "Joiner", "email": "jo@north.example"}
    return Client(), url, data, User.objects.count


def case_platform_notice(login_as):
    from notifications.models import SystemNotice
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(platform_staff=True))
    data = {"title": "Maintenance", "body": "Down on Sunday.", "action": "draft"}
    return client, reverse("platform:notices"), data, SystemNotice.objects.count


def case_passport_record_pdf(login_as):
    from passports.tests.factories import enrolment_build, framework_version_build
    from reporting.models import ReportJob

    enrolment = enrolment_build(centre=CentreFactory(), version=framework_version_build(sections=1, per_section=1))
    client = _logged_in(login_as, enrolment.membership.user, enrolment.centre)
    page = reverse("passports:record", kwargs={"enrolment_id": enrolment.public_id})
    return client, page, {}, ReportJob.objects.count


CASES = [
    case_support_ticket,
    case_support_reply,
    case_register_delegate,
    case_self_registration,
    case_staff_add,
    case_referral_note,
    case_referral_create,
    case_register_user_add,
    case_confirmation_request,
    case_register_join,
    case_platform_notice,
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__.removeprefix("case_"))
def test_the_same_form_posted_twice_saves_once(case, login_as):
    client, url, data, count = case(login_as)
    before = count()
    data = {**data, FIELD_NAME: token_of(client.get(url))}
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert count() == before + 1
    second = client.post(url, data)
    assert second.status_code == 302
    assert second["Location"] == first["Location"]  # where the first one went
    assert count() == before + 1
    assert ALREADY_SAVED in [str(message) for message in get_messages(second.wsgi_request)]
    # A fresh render is a new submission (and meets the form's own "already exists" rules).
    assert token_of(client.get(url)) != data[FIELD_NAME]


def test_a_button_form_posted_twice_queues_one_job(login_as, settings):
    """Forms that are only a button (the passport record downloads) carry a token too."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client, page, _data, count = case_passport_record_pdf(login_as)
    html = client.get(page).content.decode()
    action = re.search(r'<form method="post" action="([^"]+/pdf/)"', html).group(1)
    data = {FIELD_NAME: TOKEN.search(html[html.index(action) :]).group(1)}
    first, second = client.post(action, data), client.post(action, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert count() == 1


def test_a_refusal_by_redirect_with_an_error_message_does_not_use_up_the_token(login_as):
    from tests.factories import UserFactory

    admin = MembershipFactory(role=Role.ADMINISTRATOR)
    MembershipFactory(centre=admin.centre, user=UserFactory(unclaimed=True))
    client = _logged_in(login_as, admin.user, admin.centre)
    url = reverse("centres:welcome_emails")
    token = token_of(client.get(url))
    response = client.post(url, {FIELD_NAME: token})  # nobody selected: "Select at least one delegate"
    assert response.status_code == 302
    assert not SubmissionToken.objects.filter(token=token).exists()


def test_a_form_with_errors_does_not_use_up_its_token(login_as):
    client, url, data, count = case_support_ticket(login_as)
    token = token_of(client.get(url))
    refused = client.post(url, {**data, "subject": "", FIELD_NAME: token})
    assert refused.status_code == 400
    assert not SubmissionToken.objects.filter(token=token).exists()
    assert client.post(url, {**data, FIELD_NAME: token}).status_code == 302
    assert count() == 1


def test_a_repeat_by_someone_else_is_not_sent_to_the_first_result(login_as):
    client, url, data, count = case_support_ticket(login_as)
    data = {**data, FIELD_NAME: token_of(client.get(url))}
    first = client.post(url, data)
    other = MembershipFactory(role=Role.ADMINISTRATOR)
    second = _logged_in(login_as, other.user, other.centre).post(url, data)
    assert second.status_code == 302
    assert second["Location"] != first["Location"]
    assert count() == 1


def test_a_post_without_a_token_still_works(login_as):
    client, url, data, count = case_support_ticket(login_as)
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, FIELD_NAME: "not-a-token"}).status_code == 302
    assert count() == 2
    assert not SubmissionToken.objects.exists()


def test_old_tokens_are_forgotten(login_as):
    client, url, data, _count = case_support_ticket(login_as)
    client.post(url, {**data, FIELD_NAME: token_of(client.get(url))})
    client.post(url, {**data, FIELD_NAME: token_of(client.get(url))})
    old = SubmissionToken.objects.first()
    SubmissionToken.objects.filter(pk=old.pk).update(created_at=timezone.now() - KEEP_FOR - timedelta(minutes=1))
    assert submission_tokens_expire() == 1
    assert SubmissionToken.objects.count() == 1
