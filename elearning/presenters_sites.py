"""What the site staff pages and the queue show: progress, status and request tags."""

from core.presenters import tag
from elearning.models import AccountRequest, SiteStaff

_STAFF_COLOURS = {
    SiteStaff.Status.CURRENT: "green",
    SiteStaff.Status.DEACTIVATED: "orange",
    SiteStaff.Status.REMOVED: "grey",
}
_REQUEST_COLOURS = {
    AccountRequest.Status.OPEN: "blue",
    AccountRequest.Status.IN_PROGRESS: "yellow",
    AccountRequest.Status.COMPLETED: "green",
    AccountRequest.Status.REJECTED: "red",
}


def progress_for(done: int, total: int) -> dict:
    """A progress bar's values and its words: "2 of 3 required modules"."""
    done = min(done, total)
    percent = round(100 * done / total) if total else 0
    plural = "" if total == 1 else "s"
    text = f"{done} of {total} required module{plural}" if total else "No required modules yet"
    return {"done": done, "total": total, "percent": percent, "text": text, "complete": bool(total) and done == total}


def staff_status_tag(staff: SiteStaff) -> dict:
    return tag(staff.get_status_display(), _STAFF_COLOURS[SiteStaff.Status(staff.status)])


def request_status_tag(status: str) -> dict:
    status = AccountRequest.Status(status)
    return tag(status.label, _REQUEST_COLOURS[status])


def requester_name(account_request: AccountRequest) -> str:
    """Who asked: a person, or the platform itself (completed eLearning)."""
    if account_request.requested_by is None:
        return "The platform"
    return account_request.requested_by.get_full_name() or account_request.requested_by.email
