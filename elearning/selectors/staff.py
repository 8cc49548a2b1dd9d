"""E3 reads: a site's staff with their eLearning progress, one staff member's page, the
historic list, and a person's own site records (ADR 0037).

Progress is worked out in the database for the whole page: each row carries how many of the
published required modules the person has completed, and the total is one count, so a page
costs the same number of queries however many staff or modules there are."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from centres.models import Centre, RoleAssignment
from centres.roles import Role
from elearning.models import AccountRequest, Module, ModuleProgress, SiteStaff

OPEN_STATUSES = (AccountRequest.Status.OPEN, AccountRequest.Status.IN_PROGRESS)


def required_module_total() -> int:
    """How many published required modules there are (one query)."""
    return Module.objects.filter(is_published=True, is_required=True).count()


def _with_progress_and_marker(staff, site: Centre):
    completed = (
        ModuleProgress.objects.filter(
            user=OuterRef("user_id"),
            completed_at__isnull=False,
            module__is_published=True,
            module__is_required=True,
        )
        .order_by()
        .values("user")
        .annotate(done=Count("pk"))
        .values("done")
    )
    authoriser = RoleAssignment.objects.for_centre(site).filter(
        user=OuterRef("user_id"), role=Role.AUTHORISER, revoked_at__isnull=True
    )
    return staff.annotate(
        required_done=Coalesce(Subquery(completed, output_field=IntegerField()), Value(0)),
        is_authoriser=Exists(authoriser),
    )


def site_staff_current(site: Centre):
    """The site's current staff, by surname, each with `required_done` and `is_authoriser`."""
    staff = SiteStaff.objects.for_centre(site).filter(status=SiteStaff.Status.CURRENT).select_related("user")
    return _with_progress_and_marker(staff, site).order_by("user__last_name", "user__first_name", "id")


def site_staff_all(site: Centre):
    """Everyone who has been staff at the site (current, deactivated, removed): current first."""
    staff = SiteStaff.objects.for_centre(site).select_related("user")
    return _with_progress_and_marker(staff, site).order_by("status", "user__last_name", "user__first_name", "id")


def site_staff_get(site: Centre, staff_public_id) -> SiteStaff:
    """One staff record of `site` by public id, or 404 (another site's record answers the same)."""
    staff = site_staff_all(site).filter(public_id=staff_public_id).first()
    if staff is None:
        raise Http404("No such staff member")
    return staff


def site_staff_module_rows(site_staff: SiteStaff) -> list[dict]:
    """Each published module with the person's progress in it (one query)."""
    progress = ModuleProgress.objects.filter(user=site_staff.user_id, module=OuterRef("pk"))
    modules = Module.objects.filter(is_published=True).annotate(
        started_at=Subquery(progress.values("started_at")[:1]),
        completed_at=Subquery(progress.values("completed_at")[:1]),
    )
    rows = []
    for module in modules.order_by("position", "title"):
        if module.completed_at:
            state = "Completed"
        elif module.started_at:
            state = "In progress"
        else:
            state = "Not started"
        rows.append({"module": module, "state": state, "completed_at": module.completed_at})
    return rows


def site_staff_requests(site_staff: SiteStaff):
    """The requests about this person at this site, newest first."""
    return site_staff.requests.select_related("requested_by").order_by("-created_at", "-id")


def open_request_kinds(site_staff: SiteStaff) -> set[str]:
    return set(site_staff.requests.filter(status__in=OPEN_STATUSES).values_list("kind", flat=True))


def own_site_staff(user):
    """`user`'s own staff records at every site (any status), by site name."""
    return SiteStaff.objects.filter(user=user).select_related("centre").order_by("centre__name", "id")


def own_site_staff_get(user, staff_public_id) -> SiteStaff:
    staff = own_site_staff(user).filter(public_id=staff_public_id).first()
    if staff is None:
        raise Http404("No such site record")
    return staff


def site_requests_waiting_count(site: Centre) -> int:
    """The site's open and in-progress requests (the weekly summary)."""
    return AccountRequest.objects.for_centre(site).filter(status__in=OPEN_STATUSES).count()
