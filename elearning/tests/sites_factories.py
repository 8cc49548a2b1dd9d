"""Test data for the site staff and queue tests (el-sites): site staff records, modules and
progress, made through the real models."""

from django.utils import timezone

from centres.roles import Role
from elearning.models import AccountRequest, JobCategory, Module, ModuleProgress, SiteStaff
from tests.factories import MembershipFactory, UserFactory


def site_staff_make(
    site, *, user=None, role: Role | None = None, status=SiteStaff.Status.CURRENT, **fields
) -> SiteStaff:
    membership = MembershipFactory(centre=site, user=user or UserFactory(), role=role)
    fields.setdefault("job_title", "Staff nurse")
    fields.setdefault("job_category", JobCategory.NURSE)
    fields.setdefault("contact_number", "0113 243 3144")
    return SiteStaff.objects.create(centre=site, user=membership.user, membership=membership, status=status, **fields)


def modules_make(count: int, *, required: bool = True, published: bool = True) -> list[Module]:
    return [
        Module.objects.create(title=f"Module {index}", is_required=required, is_published=published, position=index)
        for index in range(count)
    ]


def module_complete(user, module: Module) -> ModuleProgress:
    now = timezone.now()
    return ModuleProgress.objects.create(user=user, module=module, started_at=now, completed_at=now)


def request_make(site_staff: SiteStaff, *, kind=AccountRequest.Kind.DEACTIVATE, requested_by=None, **fields):
    return AccountRequest.objects.create(
        centre=site_staff.centre, site_staff=site_staff, kind=kind, requested_by=requested_by, **fields
    )
