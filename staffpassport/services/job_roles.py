"""S6 job roles within an ESR staff group: add, rename, delete."""

from django.db import transaction

from centres.audit import audit_record
from staffpassport.models import JobRole
from staffpassport.services.errors import StaffPassportServiceError
from staffpassport.services.templates import template_delete

JOB_ROLE_NAME_MAX_LENGTH = 100


def _name_clean(*, centre, staff_group, name: str, job_role: JobRole | None = None) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise StaffPassportServiceError("Enter a job role name", field="name")
    if len(cleaned) > JOB_ROLE_NAME_MAX_LENGTH:
        raise StaffPassportServiceError(
            f"Job role name must be {JOB_ROLE_NAME_MAX_LENGTH} characters or fewer", field="name"
        )
    if any(character in "<>" or not character.isprintable() for character in cleaned):
        raise StaffPassportServiceError("Job role name cannot include < or > or hidden characters", field="name")
    same = JobRole.objects.for_centre(centre).filter(staff_group=staff_group, name__iexact=cleaned)
    if job_role is not None:
        same = same.exclude(pk=job_role.pk)
    if same.exists():
        raise StaffPassportServiceError(f"{staff_group.name} already has a job role called “{cleaned}”", field="name")
    return cleaned


@transaction.atomic
def job_role_create(*, centre, staff_group, name: str, created_by, request=None) -> JobRole:
    cleaned = _name_clean(centre=centre, staff_group=staff_group, name=name)
    job_role = JobRole.objects.create(centre=centre, staff_group=staff_group, name=cleaned)
    audit_record(
        actor=created_by,
        action="staffpassport.job_role_created",
        centre=centre,
        target=job_role,
        summary=f"Job role “{cleaned}” added to {staff_group.name}",
        request=request,
    )
    return job_role


@transaction.atomic
def job_role_rename(*, job_role: JobRole, name: str, changed_by, request=None) -> JobRole:
    cleaned = _name_clean(centre=job_role.centre, staff_group=job_role.staff_group, name=name, job_role=job_role)
    before = job_role.name
    job_role.name = cleaned
    job_role.save(update_fields=["name", "updated_at"])
    audit_record(
        actor=changed_by,
        action="staffpassport.job_role_renamed",
        centre=job_role.centre,
        target=job_role,
        summary=f"Job role “{before}” in {job_role.staff_group.name} renamed to “{cleaned}”",
        request=request,
    )
    return job_role


@transaction.atomic
def job_role_delete(*, job_role: JobRole, deleted_by, request=None) -> list[str]:
    """Delete the job role and the trust's templates made for it (their staff get the template
    for their staff group instead); staff members with the role keep their staff group. Returns
    the names of the deleted templates."""
    deleted = []
    for template in job_role.templates.select_for_update().order_by("name"):
        deleted.append(template.name)
        template_delete(
            template=template, deleted_by=deleted_by, request=request, reason=f" with its job role “{job_role.name}”"
        )
    audit_record(
        actor=deleted_by,
        action="staffpassport.job_role_deleted",
        centre=job_role.centre,
        target=job_role,
        summary=f"Job role “{job_role.name}” deleted from {job_role.staff_group.name}"
        + (f"; templates deleted: {', '.join(deleted)}" if deleted else ""),
        request=request,
    )
    job_role.delete()
    return deleted
