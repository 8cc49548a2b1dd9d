"""Staff passport settings (issue 15, S2-S6): centre B's objects for the isolation walk.
Returns the strings that must never reach centre A."""

from staffpassport.models import (
    CredentialsTemplate,
    JobRole,
    OrganisationContact,
    StaffGroup,
    StaffMember,
    Team,
    TeamNotification,
)


def staffpassport_settings_world(b: dict) -> list[str]:
    centre_b = b["centre"]
    group = StaffGroup.objects.get(code="nursing-midwifery-registered")
    b["sp_job_role"] = JobRole.objects.create(centre=centre_b, staff_group=group, name="Zanzibar theatre nurse")
    b["sp_template"] = CredentialsTemplate.objects.create(
        centre=centre_b,
        name="Zanzibar nurses template",
        staff_group=group,
        employment_types="new_starter",
        job_role=b["sp_job_role"],
    )
    OrganisationContact.objects.create(
        centre=centre_b,
        kind=OrganisationContact.Kind.HR_TEAM,
        name="Zanzibar HR desk",
        email="hr@bravo-secret.example",
        telephone="0113 000 9999",
    )
    TeamNotification.objects.create(
        centre=centre_b, team=Team.HR, email="weekly@bravo-secret.example", send_emails=True
    )
    b["sp_staff_member"] = StaffMember.objects.create(
        centre=centre_b,
        esr_assignment_number="ZANZ-0001",
        first_name="Bravissima",
        last_name="Zanzibar-Staff",
        staff_group=group,
        job_role=b["sp_job_role"],
        employment_type="new_starter",
    )
    return ["Zanzibar theatre nurse", "Zanzibar nurses template", "Zanzibar HR desk", "ZANZ-0001"]
