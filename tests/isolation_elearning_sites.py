"""E3/E4 objects of centre B for the isolation walk (tests/test_isolation.py world()): a site
staff record at B with a request and notes. Returns the strings that must never reach A."""

from centres.roles import Role
from conftest import ALL_ROLES
from elearning.models import AccountRequest, AccountRequestNote, SiteStaff
from tests.factories import MembershipFactory, UserFactory


def elearning_sites_world(b: dict, b_members: list) -> list[str]:
    centre_b = b["centre"]
    membership = MembershipFactory(
        centre=centre_b,
        user=UserFactory(
            first_name="Bravissima", last_name="Zanzibar-Sitestaff", email="sitestaff@bravo-secret.example"
        ),
    )
    site_staff = SiteStaff.objects.create(
        centre=centre_b,
        user=membership.user,
        membership=membership,
        job_title="Zanzibar secret job",
        status=SiteStaff.Status.CURRENT,
    )
    b_authoriser = b_members[ALL_ROLES.index(Role.AUTHORISER)].user
    account_request = AccountRequest.objects.create(
        centre=centre_b,
        site_staff=site_staff,
        kind=AccountRequest.Kind.DEACTIVATE,
        requested_by=b_authoriser,
        deactivation_reason=SiteStaff.DeactivationReason.OTHER,
        detail="Zanzibar secret request detail",
    )
    AccountRequestNote.objects.create(request=account_request, author=b_authoriser, body="Zanzibar secret note")
    b["elearning_site_staff"] = site_staff
    b["elearning_account_request"] = account_request
    return ["Zanzibar secret job", "Zanzibar secret request detail", "Zanzibar secret note"]
