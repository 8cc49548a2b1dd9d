"""Demo data for the staff passport settings (S2-S6) at LTHT: a senior portal administrator,
Sarah Bennett, the trust's contacts and team addresses, DBS waiting for manual issue, a job
role and a custom template for it. Called by `manage.py seed_demo` through
`StaffpassportConfig.seed_demo`. Everything goes through the services (audit events), and
running it again changes nothing."""

from django.db import transaction

from accounts.models import User
from accounts.services import user_create
from centres.management.commands.seed_demo import DEMO_PASSWORD, PLATFORM_STAFF_EMAIL
from centres.models import Centre, JobGroup, Membership, RegistrationType
from centres.roles import Role
from centres.selectors.memberships import active_roles
from centres.services.memberships import membership_create
from centres.services.roles import role_grant
from staffpassport.models import Credential, CredentialCategory, CredentialsTemplate, JobRole, StaffGroup
from staffpassport.selectors.catalogue import auto_issuance_map
from staffpassport.services.auto_issuance import auto_issuance_save
from staffpassport.services.job_roles import job_role_create
from staffpassport.services.organisation import (
    contact_detail_update,
    team_notification_email_update,
    team_notification_sending_set,
)
from staffpassport.services.templates import template_create

DEMO_CENTRE = "LTHT"
SENIOR_ADMIN = "sarah.bennett@ltht.nhs.example"

CONTACTS = {
    "senior_responsible_owner": ("Dr Michael Harrison", "michael.harrison@ltht.nhs.example", "0113 243 3144"),
    "primary_portal_administrator": ("Sarah Bennett", SENIOR_ADMIN, "0113 206 4100"),
    "information_governance_lead": ("Anita Shah", "ig.ltht@ltht.nhs.example", "0113 206 4200"),
    "hr_team": ("Workforce and HR", "hr.ltht@ltht.nhs.example", "0113 206 4300"),
    "occupational_health_team": ("Occupational Health Service", "oh.ltht@ltht.nhs.example", "0113 206 4400"),
    "education_training_team": ("Learning and Development", "education.ltht@ltht.nhs.example", "0113 206 4500"),
}
TEAMS = {
    "hr": ("hr.ltht@ltht.nhs.example", True),
    "occupational_health": ("oh.ltht@ltht.nhs.example", True),
    "education_training": ("education.ltht@ltht.nhs.example", False),
}
NURSING = "nursing-midwifery-registered"
JOB_ROLE = "Theatre scrub nurse"
TEMPLATE = "Theatre scrub nurses - new starters"


def _senior_admin_ensure(centre: Centre) -> User:
    user = User.objects.filter(email=SENIOR_ADMIN).first()
    if user is None:
        user = user_create(
            email=SENIOR_ADMIN, first_name="Sarah", last_name="Bennett", password=DEMO_PASSWORD, email_verified=True
        )
    if not Membership.objects.for_centre(centre).filter(user=user).exists():
        membership_create(
            user=user,
            centre=centre,
            registration_type=RegistrationType.CENTRE,
            is_approved=True,
            job_group=JobGroup.objects.filter(pk=5).first(),
        )
    if Role.SENIOR_PORTAL_ADMIN not in active_roles(user=user, centre=centre):
        staff = User.objects.get(email=PLATFORM_STAFF_EMAIL)
        role_grant(user=user, centre=centre, role=Role.SENIOR_PORTAL_ADMIN, granted_by=staff)
    return user


@transaction.atomic
def demo_staffpassport_settings_load(*, stdout=None) -> None:
    centre = Centre.objects.filter(code=DEMO_CENTRE).first()
    if centre is None:
        return
    sarah = _senior_admin_ensure(centre)
    if JobRole.objects.for_centre(centre).filter(name=JOB_ROLE).exists():
        return  # loaded before
    for kind, values in CONTACTS.items():
        for detail, value in zip(("name", "email", "telephone"), values, strict=True):
            contact_detail_update(centre=centre, kind=kind, detail=detail, value=value, changed_by=sarah)
    for team, (email, send) in TEAMS.items():
        team_notification_email_update(centre=centre, team=team, email=email, changed_by=sarah)
        team_notification_sending_set(centre=centre, team=team, send_emails=send, changed_by=sarah)
    # DBS checks wait for a person at LTHT; everything else from ESR is issued automatically.
    dbs = set(Credential.objects.filter(category__code="dbs").values_list("pk", flat=True))
    automatic = {pk for pk, on in auto_issuance_map(centre=centre).items() if on} - dbs
    auto_issuance_save(centre=centre, automatic_ids=automatic, changed_by=sarah)
    nursing = StaffGroup.objects.get(code=NURSING)
    job_role = job_role_create(centre=centre, staff_group=nursing, name=JOB_ROLE, created_by=sarah)
    default = CredentialsTemplate.objects.get(centre=None, staff_group=nursing, employment_types="new_starter")
    template_create(
        centre=centre,
        name=TEMPLATE,
        staff_group=nursing,
        employment_types="new_starter",
        job_role=job_role,
        categories=[*default.categories.all(), CredentialCategory.objects.get(code="occupational-health")],
        credentials=[*default.credentials.all(), Credential.objects.get(code="epp-clearance")],
        created_by=sarah,
    )
    if stdout is not None:
        stdout.write(
            f"Staff passport settings at {DEMO_CENTRE}: log in as {SENIOR_ADMIN} (senior portal administrator)"
        )
