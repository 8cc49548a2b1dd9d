"""The passport demo data (passports/demo.py) loaded by seed_demo: what each login shows."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from centres.management.commands.seed_demo import DEMO_PASSWORD
from centres.models import Centre
from passports import demo
from passports.models import (
    ConfirmationRequest,
    Enrolment,
    Framework,
    Result,
    ResultStatus,
    StaffListEntry,
    Supervisor,
)

pytestmark = pytest.mark.django_db


def _counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Enrolment, Result, Result.history.model, ConfirmationRequest, StaffListEntry, Supervisor)
    }


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())
    return Centre.objects.get(code="LTHT")


def test_grace_is_under_way_on_the_iv_therapy_passport(seeded):
    enrolment = Enrolment.objects.get(membership__user__email=demo.LEARNER, centre=seeded)
    assert enrolment.framework.name == demo.IV_THERAPY
    assert enrolment.enrolled_by.email == demo.EDUCATOR
    assert enrolment.complete_by is not None
    assert enrolment.started_at is not None
    statuses = dict(enrolment.results.values_list("proficiency__position", "status"))
    assert statuses[1] == ResultStatus.CONFIRMED
    assert statuses[2] == ResultStatus.REJECTED
    assert statuses[3] == statuses[4] == ResultStatus.REQUESTED
    assert statuses[5] == statuses[6] == ResultStatus.SELF_ASSESSED
    assert statuses[7] == ResultStatus.NOT_ASSESSED
    rejected = enrolment.results.get(proficiency__position=2)
    assert rejected.reviewer_comment == demo.REJECT_PLAN
    assert rejected.reviewed_by.email == demo.ASSESSOR
    open_requests = ConfirmationRequest.objects.filter(enrolment=enrolment, status=ConfirmationRequest.Status.OPEN)
    assert [request.supervisor.email for request in open_requests] == [demo.ASSESSOR]
    assert set(enrolment.supervisors.values_list("user__email", flat=True)) == {demo.EDUCATOR, demo.ASSESSOR}


def test_megan_is_on_step1_with_nothing_started_and_both_are_on_the_staff_list(seeded):
    enrolment = Enrolment.objects.get(membership__user__email=demo.NEW_LEARNER, centre=seeded)
    assert enrolment.framework.name == demo.STEP1
    assert enrolment.started_at is None
    assert enrolment.results.count() == 670
    assert not enrolment.results.exclude(status=ResultStatus.NOT_ASSESSED).exists()
    entries = StaffListEntry.objects.for_centre(seeded).filter(educator__email=demo.EDUCATOR)
    assert sorted(entries.values_list("email", flat=True)) == sorted([demo.LEARNER, demo.NEW_LEARNER])
    assert not entries.filter(membership__isnull=True).exists()


def test_running_seed_demo_again_changes_nothing(seeded):
    before = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == before


def _logged_in(email: str, centre: Centre) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD}).status_code == 302
    response = client.get("/", follow=True)
    if response.redirect_chain and response.redirect_chain[-1][0] == "/choose-centre/":
        client.post("/choose-centre/", {"centre": str(centre.public_id)})
    return client


def test_each_demo_login_sees_the_passport(seeded):
    enrolment = Enrolment.objects.get(membership__user__email=demo.LEARNER, centre=seeded)
    grace = _logged_in(demo.LEARNER, seeded)
    assert demo.IV_THERAPY in grace.get("/passports/").content.decode()
    page = grace.get(f"/passports/enrolments/{enrolment.public_id}/").content.decode()
    assert "Rejected" in page
    assert "Confirmed" in page
    tom = _logged_in(demo.ASSESSOR, seeded).get("/passports/supervise/").content.decode()
    assert "Grace Okafor" in tom
    priya = _logged_in(demo.EDUCATOR, seeded)
    assert "megan.price@ltht.nhs.example" in priya.get("/passports/staff/").content.decode()
    assert "Megan Price" in priya.get("/passports/supervise/").content.decode()
    report = _logged_in("helen.marsh@ltht.nhs.example", seeded).get("/passports/reports/").content.decode()
    assert demo.STEP1 in report
    assert demo.IV_THERAPY in report


def test_the_setting_leaves_the_passports_out():
    from django.test import override_settings

    with override_settings(PASSPORTS_DEMO_ENROLMENTS=False):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Enrolment.objects.exists()
    assert not StaffListEntry.objects.exists()
    assert Framework.objects.count() == 2
