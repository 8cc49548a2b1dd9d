"""S2 organisation contacts and S3 team notification settings: one detail at a time."""

from django.db import transaction

from centres.audit import audit_record
from staffpassport.models import OrganisationContact, Team, TeamNotification
from staffpassport.services.errors import StaffPassportServiceError

CONTACT_DETAILS = {"name": "Name", "email": "Email address", "telephone": "Telephone number"}


@transaction.atomic
def contact_detail_update(
    *, centre, kind: str, detail: str, value: str, changed_by, request=None
) -> OrganisationContact:
    """Set one detail (name, email or telephone) of one of the trust's contacts."""
    if kind not in OrganisationContact.Kind.values or detail not in CONTACT_DETAILS:
        raise StaffPassportServiceError("There is no such contact detail")
    contact, _ = (
        OrganisationContact.objects.for_centre(centre).select_for_update().get_or_create(centre=centre, kind=kind)
    )
    before = getattr(contact, detail)
    setattr(contact, detail, value.strip())
    contact.save(update_fields=[detail, "updated_at"])
    audit_record(
        actor=changed_by,
        action="staffpassport.contact_changed",
        centre=centre,
        target=contact,
        summary=f"{contact.get_kind_display()}: {CONTACT_DETAILS[detail].lower()} changed from "
        f"“{before}” to “{getattr(contact, detail)}”",
        request=request,
    )
    return contact


def _team_setting(centre, team: str) -> TeamNotification:
    if team not in Team.values:
        raise StaffPassportServiceError("There is no such team")
    setting, _ = TeamNotification.objects.for_centre(centre).select_for_update().get_or_create(centre=centre, team=team)
    return setting


@transaction.atomic
def team_notification_email_update(*, centre, team: str, email: str, changed_by, request=None) -> TeamNotification:
    setting = _team_setting(centre, team)
    email = email.strip()
    if not email and setting.send_emails:
        raise StaffPassportServiceError(
            f"Enter an email address. The {setting.get_team_display()} weekly summary is turned on and needs one: "
            "turn it off first to remove the address",
            field="team_email",
        )
    before = setting.email
    setting.email = email
    setting.save(update_fields=["email", "updated_at"])
    audit_record(
        actor=changed_by,
        action="staffpassport.team_notification_changed",
        centre=centre,
        target=setting,
        summary=f"{setting.get_team_display()} notification email changed from “{before}” to “{email}”",
        request=request,
    )
    return setting


@transaction.atomic
def team_notification_sending_set(
    *, centre, team: str, send_emails: bool, changed_by, request=None
) -> TeamNotification:
    setting = _team_setting(centre, team)
    if send_emails and not setting.email:
        raise StaffPassportServiceError(
            f"Add an email address for {setting.get_team_display()} before you turn on email notifications",
            field="send_emails",
        )
    setting.send_emails = send_emails
    setting.save(update_fields=["send_emails", "updated_at"])
    audit_record(
        actor=changed_by,
        action="staffpassport.team_notification_changed",
        centre=centre,
        target=setting,
        summary=f"{setting.get_team_display()} weekly summary emails turned {'on' if send_emails else 'off'}",
        request=request,
    )
    return setting
