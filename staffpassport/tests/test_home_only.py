"""ADR 0044: a summary section registered `home_only` is a "To do" entry on the home page and
never a line of the per-person weekly email. The staff passport's entries are home-only (senior
portal administrators are not offered that email; their teams get team summaries)."""

import pytest

from centres.roles import Role
from notifications.models import OutboundEmail
from notifications.registry import WEEKLY_SUMMARY, summary_sections
from notifications.summaries import iso_week_of, summary_entries, weekly_summaries_send_for_centre
from notifications.testing import subscribe
from staffpassport.tests.esr_helpers import esr_import_rows, manual_issue, person_row
from tests.factories import CentreFactory, MembershipFactory, grant_role

pytestmark = pytest.mark.django_db
WAITING = "1 credential waiting for manual issue"
AWAITING = "1 staff passport awaiting credentials"


@pytest.fixture
def trust():
    centre = CentreFactory(code="LTHT")
    manual_issue(centre, "dbs-basic")
    esr_import_rows(centre, f"{person_row('30000001', 'Tom', 'Hughes')},dbs-basic,D1,2025-01-01,")
    return centre


@pytest.fixture
def person(trust):
    """An administrator (offered the weekly email, subscribed) who is also the trust's senior
    portal administrator, with an unapproved registration waiting as well."""
    user = MembershipFactory(centre=trust, role=Role.ADMINISTRATOR).user
    grant_role(user, trust, Role.SENIOR_PORTAL_ADMIN)
    MembershipFactory(centre=trust, unapproved=True)
    subscribe(user, trust, WEEKLY_SUMMARY)
    return user


def test_the_staff_passport_sections_are_registered_home_only():
    home_only = {section.code for section in summary_sections(for_home=True) if section.home_only}
    assert {"staffpassport_credentials_waiting", "staffpassport_staff_awaiting"} <= home_only
    assert not home_only & {section.code for section in summary_sections()}
    assert "registrations" in {section.code for section in summary_sections()}


def test_home_only_entries_are_on_the_home_page(trust, person, login_as):
    body = login_as(person, trust).get("/").content.decode()
    todo = body[body.index('id="home-todo"') :]
    assert WAITING in todo
    assert AWAITING in todo
    assert "1 registration awaiting approval" in todo  # the weekly email's entries too
    home = [entry.text for entry in summary_entries(user=person, centre=trust, for_home=True)]
    assert WAITING in home


def test_home_only_entries_are_not_in_the_weekly_email(trust, person):
    assert WAITING not in [entry.text for entry in summary_entries(user=person, centre=trust)]
    iso_year, iso_week = iso_week_of()
    assert weekly_summaries_send_for_centre(centre_id=trust.pk, iso_year=iso_year, iso_week=iso_week) == 1
    [email] = OutboundEmail.objects.filter(template="notifications/emails/weekly_summary", to=[person.email.lower()])
    assert "1 registration awaiting approval" in email.text_body
    for text in (WAITING, AWAITING, "credential", "staff passport"):
        assert text not in email.text_body
        assert text not in email.html_body


def test_nothing_but_home_only_work_sends_no_email(trust):
    user = MembershipFactory(centre=trust, role=Role.ADMINISTRATOR).user
    grant_role(user, trust, Role.SENIOR_PORTAL_ADMIN)
    subscribe(user, trust, WEEKLY_SUMMARY)
    assert [entry.text for entry in summary_entries(user=user, centre=trust, for_home=True)] == [WAITING, AWAITING]
    iso_year, iso_week = iso_week_of()
    assert weekly_summaries_send_for_centre(centre_id=trust.pk, iso_year=iso_year, iso_week=iso_week) == 0
