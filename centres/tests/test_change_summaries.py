"""What account and delegate updates report as changed (core.services.model_update feeds the
audit text): each concern once, in the words used before, and nothing written when nothing
changed."""

import pytest

from centres.models import AuditEvent, JobGroup, RegistrationPrompt
from centres.roles import Role
from centres.services.accounts import account_details_update
from centres.services.delegates import delegate_update
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(centre):
    RegistrationPrompt.objects.create(centre=centre, position=1, text="Ward", options=["Ward 1", "Ward 2"])
    RegistrationPrompt.objects.create(centre=centre, position=3, text="Line manager")
    return MembershipFactory(
        centre=centre,
        user=UserFactory(first_name="Asha", last_name="Patel"),
        job_group=JobGroup.objects.get(pk=1),
        has_prn=False,
        prn="",
        centre_email="",
        answer1="",
        answer3="",
    )


def account_arguments(member, **changes) -> dict:
    return {
        "user": member.user,
        "centre": member.centre,
        "first_name": "Asha",
        "last_name": "Patel",
        "job_group": JobGroup.objects.get(pk=1),
        "answers": {},
        "has_prn": False,
        "prn": "",
        "centre_email": "",
        **changes,
    }


def test_account_update_names_each_concern_once_and_audits_it(member):
    changed = account_details_update(
        **account_arguments(
            member,
            last_name="Patel-Jones",
            job_group=JobGroup.objects.get(pk=5),
            answers={1: "Ward 2", 3: "Sam Lee"},
            has_prn=True,
            prn="12A3456E",
            centre_email="asha@work.nhs.example",
        )
    )
    assert changed == ["name", "job group", "PRN", "centre email", "registration answers"]
    event = AuditEvent.objects.get(action="account.details_changed")
    assert event.summary == "Asha Patel-Jones changed their name, job group, PRN, centre email, registration answers"
    member.refresh_from_db()
    assert (member.job_group_id, member.has_prn, member.prn, member.answer1, member.answer3) == (
        5,
        True,
        "12A3456E",
        "Ward 2",
        "Sam Lee",
    )


def test_account_update_that_changes_nothing_writes_nothing(member):
    assert account_details_update(**account_arguments(member)) == []
    assert not AuditEvent.objects.filter(action="account.details_changed").exists()


def test_delegate_update_lists_answers_by_number(member, centre):
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR).user
    delegate_update(
        membership=member,
        updated_by=admin,
        first_name="Asha",
        last_name="Patel",
        email=member.user.email,
        job_group=JobGroup.objects.get(pk=1),
        answers={1: "Ward 1", 3: "Sam Lee"},
        has_prn=False,
    )
    event = AuditEvent.objects.get(action="membership.updated")
    assert event.summary == f"Details of Asha Patel ({member.delegate_number}) changed: answer 1, answer 3"
    delegate_update(
        membership=member,
        updated_by=admin,
        first_name="Asha",
        last_name="Patel",
        email=member.user.email,
        job_group=JobGroup.objects.get(pk=1),
        answers={1: "Ward 1", 3: "Sam Lee"},
        has_prn=False,
    )
    latest = AuditEvent.objects.filter(action="membership.updated").order_by("-pk").first()
    assert latest.summary.endswith("changed: nothing")
