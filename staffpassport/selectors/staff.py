"""S7 reads for the staff passport pages: the manual queue, the staff lists with their
progress, one person's required credentials, a credential's history."""

from __future__ import annotations

from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import timezone

from staffpassport.models import StaffCredential, StaffMember
from staffpassport.selectors.progress import Progress, TemplateBook, staff_progress
from staffpassport.selectors.templates import template_for, template_required_credentials

PER_PAGE = 25


def credentials_waiting(*, centre) -> QuerySet[StaffCredential]:
    return (
        StaffCredential.objects.for_centre(centre)
        .filter(status=StaffCredential.Status.WAITING)
        .select_related("staff_member", "credential", "credential__category")
        .order_by("created_at", "pk")
    )


def credentials_expiring(*, centre, within_days: int, credential_ids: set[int] | None = None):
    """Issued credentials whose expiry date is today or within `within_days` days, soonest
    first, of staff awaiting credentials and reviewed alike (optionally only some credentials:
    a team's). The same rule as the weekly summary's count."""
    today = timezone.localdate()
    credentials = StaffCredential.objects.for_centre(centre).filter(
        status=StaffCredential.Status.ISSUED, expires_on__gte=today, expires_on__lte=today + timedelta(days=within_days)
    )
    if credential_ids is not None:
        credentials = credentials.filter(credential_id__in=credential_ids)
    return credentials.select_related("staff_member", "credential", "credential__category").order_by(
        "expires_on", "staff_member__last_name", "staff_member__first_name", "pk"
    )


def staff_list_page(*, centre, status: str, page_number):
    """A page of staff with the status (paginated in the database) and each one's progress:
    a constant number of queries whatever the page's or the trust's size."""
    members = (
        StaffMember.objects.for_centre(centre)
        .filter(passport_status=status)
        .select_related("staff_group", "job_role")
        .order_by("last_name", "first_name", "pk")
    )
    page = Paginator(members, PER_PAGE).get_page(page_number)
    progress = staff_progress(centre=centre, members=list(page.object_list)) if page.object_list else {}
    rows = [(member, progress[member.pk]) for member in page.object_list]
    return page, rows


def staff_member_detail(*, member: StaffMember) -> dict:
    """The person's template (and why), each required credential with their credential (or
    None), and their other credentials."""
    template, reasons = template_for(member)
    progress: Progress = staff_progress(centre=member.centre, members=[member], book=TemplateBook(member.centre))[
        member.pk
    ]
    credentials = {
        item.credential_id: item
        for item in member.credentials.select_related("credential", "credential__category").order_by(
            "credential__category__position", "credential__position"
        )
    }
    required = []
    if template is not None:
        required = [
            (credential, credentials.get(credential.pk)) for credential in template_required_credentials(template)
        ]
    others = [item for credential_id, item in credentials.items() if credential_id not in progress.required]
    return {"template": template, "reasons": reasons, "progress": progress, "required": required, "others": others}


def credential_history(*, credential: StaffCredential) -> list:
    return list(credential.history.select_related("history_user").order_by("-history_date", "-history_id"))
