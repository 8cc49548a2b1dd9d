"""What waits for a senior portal administrator, on their home page's "To do" (issue 16 item 1):
credentials waiting for manual issue and staff still awaiting credentials. Registered as
home-only summary sections (`home_only=True`): the weekly summary goes to team addresses
(team_summaries.py) and the senior portal administrator role is not offered the per-person
weekly email, so these entries are never lines of that email."""

from django.urls import reverse

from centres.roles import Permission
from notifications.registry import SummaryEntry
from staffpassport.models import StaffMember
from staffpassport.selectors.staff import credentials_waiting


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def credentials_waiting_entry(*, user, centre) -> SummaryEntry | None:
    if not user.has_perm(Permission.MANAGE_STAFF_PASSPORT.value, centre):
        return None
    count = credentials_waiting(centre=centre).count()
    if not count:
        return None
    return SummaryEntry(
        text=_plural(count, "credential waiting for manual issue", "credentials waiting for manual issue"),
        path=reverse("staffpassport:credentials_waiting"),
    )


def staff_awaiting_entry(*, user, centre) -> SummaryEntry | None:
    if not user.has_perm(Permission.MANAGE_STAFF_PASSPORT.value, centre):
        return None
    awaiting = StaffMember.PassportStatus.AWAITING_CREDENTIALS
    count = StaffMember.objects.for_centre(centre).filter(passport_status=awaiting).count()
    if not count:
        return None
    return SummaryEntry(
        text=_plural(count, "staff passport awaiting credentials", "staff passports awaiting credentials"),
        path=reverse("staffpassport:staff_awaiting"),
    )
