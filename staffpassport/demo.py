"""Demo data for the staff passport settings (S2-S6) at LTHT: a senior portal administrator,
Sarah Bennett (who has answered LTHT's registration prompt), the trust's contacts and team
addresses, a job role and a custom template for it. The staff passports themselves are
`demo_staff.py`'s. Called by `manage.py seed_demo` through
`StaffpassportConfig.seed_demo`. Everything goes through the services (audit events), and
running it again changes nothing."""

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User
from centres.management.commands.seed_demo import DEMO_PASSWORD, PLATFORM_STAFF_EMAIL
from centres.models import Centre, JobGroup, Membership, RegistrationPrompt, RegistrationType
from centres.ownership import person_create_self
from centres.roles import Role
from centres.selectors.memberships import active_roles
from centres.services.accounts import account_details_update
from centres.services.memberships import membership_create
from centres.services.roles import role_grant
from staffpassport.catalogue import catalogue_ensure
from staffpassport.models import Credential, CredentialCategory, CredentialsTemplate, JobRole, StaffGroup
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
PROMPT_ANSWER = "Other"  # LTHT's "Ward or department": Sarah works in workforce and HR


def _senior_admin_ensure(centre: Centre) -> User:
    user = User.objects.filter(email=SENIOR_ADMIN).first()
    if user is None:
        # Through the account-ownership module, as a person creating their own account.
        user = person_create_self(email=SENIOR_ADMIN, first_name="Sarah", last_name="Bennett", password=DEMO_PASSWORD)
        EmailAddress.objects.filter(user=user, email=SENIOR_ADMIN).update(verified=True)
    if not Membership.objects.for_centre(centre).filter(user=user).exists():
        membership_create(
            user=user,
            centre=centre,
            registration_type=RegistrationType.CENTRE,
            is_approved=True,
            job_group=JobGroup.objects.filter(pk=5).first(),
        )
    _prompt_answer_ensure(user, centre)
    if Role.SENIOR_PORTAL_ADMIN not in active_roles(user=user, centre=centre):
        staff = User.objects.get(email=PLATFORM_STAFF_EMAIL)
        role_grant(user=user, centre=centre, role=Role.SENIOR_PORTAL_ADMIN, granted_by=staff)
    return user


def _prompt_answer_ensure(user: User, centre: Centre) -> None:
    """Sarah answers the centre's first registration prompt herself (My account), so her pages
    do not ask her to; also on a database loaded before she had an answer."""
    membership = Membership.objects.for_centre(centre).get(user=user)
    prompt = RegistrationPrompt.objects.for_centre(centre).filter(position=1).first()
    if prompt is None or membership.answer1:
        return
    answer = PROMPT_ANSWER if PROMPT_ANSWER in prompt.options or not prompt.options else prompt.options[0]
    account_details_update(
        user=user,
        centre=centre,
        first_name=user.first_name,
        last_name=user.last_name,
        job_group=membership.job_group or JobGroup.objects.filter(pk=5).first(),
        answers={1: answer},
        has_prn=False,
        centre_email=membership.centre_email,
    )


@transaction.atomic
def demo_staffpassport_settings_load(*, stdout=None) -> User | None:
    """Returns Sarah Bennett (who loads the staff passports too), or None without LTHT."""
    catalogue_ensure()
    centre = Centre.objects.filter(code=DEMO_CENTRE).first()
    if centre is None:
        return None
    sarah = _senior_admin_ensure(centre)
    if JobRole.objects.for_centre(centre).filter(name=JOB_ROLE).exists():
        return sarah  # loaded before
    for kind, values in CONTACTS.items():
        for detail, value in zip(("name", "email", "telephone"), values, strict=True):
            contact_detail_update(centre=centre, kind=kind, detail=detail, value=value, changed_by=sarah)
    for team, (email, send) in TEAMS.items():
        team_notification_email_update(centre=centre, team=team, email=email, changed_by=sarah)
        team_notification_sending_set(centre=centre, team=team, send_emails=send, changed_by=sarah)
    # Automatic issuance stays at the default (everything automatic): the browser journey and
    # the README walk-through turn DBS off.
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
    return sarah
