"""Reads for the settings pages (S2, S3, S6): a trust's contacts, team notification settings
and job roles, with a row for every contact kind and team even before one is saved."""

from dataclasses import dataclass

from django.db.models import Count, Q

from staffpassport.models import JobRole, OrganisationContact, StaffGroup, Team, TeamNotification


def contacts_for(*, centre) -> list[OrganisationContact]:
    """One contact per kind, in the order of `OrganisationContact.Kind` (unsaved when absent)."""
    saved = {contact.kind: contact for contact in OrganisationContact.objects.for_centre(centre)}
    return [saved.get(kind) or OrganisationContact(centre=centre, kind=kind) for kind in OrganisationContact.Kind]


def team_notifications_for(*, centre) -> list[TeamNotification]:
    saved = {setting.team: setting for setting in TeamNotification.objects.for_centre(centre)}
    return [saved.get(team) or TeamNotification(centre=centre, team=team) for team in Team]


def team_notification_for(*, centre, team: str) -> TeamNotification:
    setting = TeamNotification.objects.for_centre(centre).filter(team=team).first()
    return setting or TeamNotification(centre=centre, team=team)


@dataclass(frozen=True)
class StaffGroupRow:
    group: StaffGroup
    job_role_count: int


def staff_groups_with_role_counts(*, centre) -> list[StaffGroupRow]:
    groups = StaffGroup.objects.annotate(
        job_role_count=Count("job_roles", filter=Q(job_roles__centre=centre))
    ).order_by("position", "name")
    return [StaffGroupRow(group=group, job_role_count=group.job_role_count) for group in groups]


def job_roles_in_group(*, centre, staff_group) -> list[JobRole]:
    return list(
        JobRole.objects.for_centre(centre)
        .filter(staff_group=staff_group)
        .annotate(template_count=Count("templates"))
        .order_by("name")
    )


def job_role_for(*, centre, public_id) -> JobRole | None:
    return JobRole.objects.for_centre(centre).select_related("staff_group").filter(public_id=public_id).first()


def staff_group_by_code(code: str) -> StaffGroup | None:
    return StaffGroup.objects.filter(code=code).first()
