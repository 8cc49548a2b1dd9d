"""The demo: Sarah Bennett logs in at LTHT and sees the settings; loading twice changes nothing."""

import pytest
from django.core.management import call_command

from centres.management.commands.seed_demo import DEMO_PASSWORD
from centres.models import AuditEvent, Centre
from staffpassport.demo import JOB_ROLE, SENIOR_ADMIN, TEMPLATE, demo_staffpassport_settings_load
from staffpassport.models import Credential, CredentialsTemplate, JobRole, OrganisationContact, TeamNotification
from staffpassport.selectors.catalogue import credential_issues_automatically

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_the_settings_once(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ltht = Centre.objects.get(code="LTHT")
    events = AuditEvent.objects.filter(centre=ltht, action__startswith="staffpassport.").count()
    assert events > 0
    demo_staffpassport_settings_load()
    assert AuditEvent.objects.filter(centre=ltht, action__startswith="staffpassport.").count() == events
    assert JobRole.objects.for_centre(ltht).filter(name=JOB_ROLE).count() == 1
    template = CredentialsTemplate.objects.for_centre(ltht).get(name=TEMPLATE)
    assert template.job_role.name == JOB_ROLE
    assert OrganisationContact.objects.for_centre(ltht).count() == len(OrganisationContact.Kind)
    assert TeamNotification.objects.for_centre(ltht).filter(send_emails=True).count() == 2
    dbs = Credential.objects.get(code="dbs-enhanced")
    assert credential_issues_automatically(centre=ltht, credential=dbs) is False

    assert client.post("/accounts/login/", {"login": SENIOR_ADMIN, "password": DEMO_PASSWORD}).status_code == 302
    page = client.get("/staff-passport/settings/templates/", follow=True).content.decode()
    assert TEMPLATE in page
