"""The demo: Sarah Bennett logs in at LTHT and sees the settings and the staff passports;
loading twice changes nothing."""

import pytest
from django.core.management import call_command

from centres.management.commands.seed_demo import DEMO_PASSWORD
from centres.models import AuditEvent, Centre, Membership
from staffpassport.demo import JOB_ROLE, SENIOR_ADMIN, TEMPLATE, demo_staffpassport_settings_load
from staffpassport.demo_staff import REJECTED, demo_staff_passports_load
from staffpassport.models import (
    Credential,
    CredentialsTemplate,
    JobRole,
    OrganisationContact,
    StaffCredential,
    StaffMember,
    TeamNotification,
)
from staffpassport.selectors.catalogue import credential_issues_automatically

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_the_settings_once(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ltht = Centre.objects.get(code="LTHT")
    events = AuditEvent.objects.filter(centre=ltht, action__startswith="staffpassport.").count()
    assert events > 0
    credentials = list(StaffCredential.objects.for_centre(ltht).order_by("pk").values_list("status", "updated_at"))
    sarah = demo_staffpassport_settings_load()
    demo_staff_passports_load(actor=sarah)
    assert AuditEvent.objects.filter(centre=ltht, action__startswith="staffpassport.").count() == events
    assert list(StaffCredential.objects.for_centre(ltht).order_by("pk").values_list("status", "updated_at")) == (
        credentials
    )
    assert Membership.objects.for_centre(ltht).get(user=sarah).answer1  # LTHT's first prompt answered
    assert JobRole.objects.for_centre(ltht).filter(name=JOB_ROLE).count() == 1
    template = CredentialsTemplate.objects.for_centre(ltht).get(name=TEMPLATE)
    assert template.job_role.name == JOB_ROLE
    assert OrganisationContact.objects.for_centre(ltht).count() == len(OrganisationContact.Kind)
    assert TeamNotification.objects.for_centre(ltht).filter(send_emails=True).count() == 2
    dbs = Credential.objects.get(code="dbs-enhanced")
    assert credential_issues_automatically(centre=ltht, credential=dbs) is True
    barred = Credential.objects.get(code="dbs-enhanced-barred")
    assert credential_issues_automatically(centre=ltht, credential=barred) is False

    # Staff passports: issued, waiting for manual issue, rejected with its reason; awaiting and reviewed.
    statuses = list(StaffCredential.objects.for_centre(ltht).values_list("status", flat=True))
    assert {status: statuses.count(status) for status in set(statuses)} == {"issued": 5, "waiting": 1, "rejected": 1}
    rejected = StaffCredential.objects.for_centre(ltht).get(status="rejected")
    assert rejected.rejection_reason == REJECTED[2]
    assert rejected.staff_member.esr_assignment_number == REJECTED[0]
    people = StaffMember.objects.for_centre(ltht)
    assert people.filter(passport_status="awaiting_credentials").count() == 3
    reviewed = people.get(passport_status="reviewed")
    assert (reviewed.full_name, reviewed.review_outcome) == ("Wojciech Nowak", "bypassed")

    assert client.post("/accounts/login/", {"login": SENIOR_ADMIN, "password": DEMO_PASSWORD}).status_code == 302
    page = client.get("/staff-passport/settings/templates/", follow=True).content.decode()
    assert TEMPLATE in page
    waiting = client.get("/staff-passport/credentials/waiting/").content.decode()
    assert "Amara Okafor" in waiting
    assert "Wojciech Nowak" in client.get("/staff-passport/staff/reviewed/").content.decode()
