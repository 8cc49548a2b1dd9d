"""Credentials expiring in the next 30 days: the page the weekly summary's count links to.
It lists issued credentials expiring from today to 30 days ahead of staff awaiting
credentials and reviewed alike (not expired ones, not later ones, not waiting ones), a team's
alone with ?team=, a page at a time in constant queries, the trust's own only."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from centres.roles import Role
from notifications.models import OutboundEmail
from notifications.summaries import audience_summaries_send_for_centre, iso_week_of
from staffpassport.models import StaffCredential, StaffMember, TeamNotification
from staffpassport.team_summaries import TEAM_SUMMARIES, team_counts
from staffpassport.tests.esr_helpers import esr_import_rows, manual_issue, person_row, required_codes
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db
URL = "/staff-passport/credentials/expiring/"


def _day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


@pytest.fixture
def trust():
    centre = CentreFactory(code="LTHT")
    manual_issue(centre, "dbs-basic")
    awarded = _day(-100)
    esr_import_rows(
        centre,
        f"{person_row('60000001', 'Ann', 'Soon')},right-to-work,R-SOON,{awarded},{_day(10)}",
        f"{person_row('60000002', 'Ben', 'Today')},cstf-fire-safety,,{awarded},{_day(0)}",
        f"{person_row('60000003', 'Cy', 'Later')},right-to-work,R-LATER,{awarded},{_day(31)}",
        f"{person_row('60000004', 'Di', 'Gone')},cstf-fire-safety,,{awarded},{_day(-1)}",
        f"{person_row('60000005', 'Ed', 'Waits')},dbs-basic,D-WAITS,{awarded},{_day(5)}",
    )
    # Ann's passport has been reviewed: her expiring credential still shows.
    StaffMember.objects.for_centre(centre).filter(last_name="Soon").update(
        passport_status="reviewed", review_outcome="bypassed", reviewed_at=timezone.now()
    )
    return centre


@pytest.fixture
def client_a(trust, role_member, login_as):
    return login_as(role_member(trust, Role.SENIOR_PORTAL_ADMIN).user, trust)


def test_it_lists_issued_credentials_expiring_within_30_days_of_every_staff_member(trust, client_a):
    assert reverse("staffpassport:credentials_expiring") == URL
    page = client_a.get(URL).content.decode()
    assert "Credentials expiring in the next 30 days" in page
    assert "2 credentials expiring" in page
    assert page.index("Ben Today") < page.index("Ann Soon")  # soonest first
    assert "Reviewed" in page
    assert "Awaiting credentials" in page
    for absent in ("Cy Later", "Di Gone", "Ed Waits"):
        assert absent not in page


def test_a_team_sees_its_own_credentials(trust, client_a):
    hr = client_a.get(URL + "?team=hr").content.decode()
    assert "Ann Soon" in hr
    assert "Ben Today" not in hr
    training = client_a.get(URL + "?team=education_training").content.decode()
    assert "Ben Today" in training
    assert "Ann Soon" not in training
    health = client_a.get(URL + "?team=occupational_health").content.decode()
    assert "No issued credentials of the Occupational health team expire in the next 30 days" in health
    # An unknown team shows every team's.
    assert "2 credentials expiring" in client_a.get(URL + "?team=<script>").content.decode()


def test_the_weekly_summary_links_to_the_teams_expiring_credentials(trust):
    TeamNotification.objects.create(centre=trust, team="hr", email="hr@trust.nhs.uk", send_emails=True)
    year, week = iso_week_of()
    assert (
        audience_summaries_send_for_centre(code=TEAM_SUMMARIES.code, centre_id=trust.pk, iso_year=year, iso_week=week)
        == 1
    )
    body = OutboundEmail.objects.get(template="staffpassport/emails/team_summary").text_body
    assert "1 credential expiring in the next 30 days" in body
    assert f"{URL}?team=hr" in body
    assert "/staff-passport/staff/reviewed/" not in body


def test_only_senior_administrators_and_only_their_trusts_credentials(trust, role_member, login_as):
    manager = login_as(role_member(trust, Role.CENTRE_MANAGER).user, trust)
    assert manager.get(URL).status_code == 403
    other = CentreFactory(code="OTHR")
    other_client = login_as(role_member(other, Role.SENIOR_PORTAL_ADMIN).user, other)
    page = other_client.get(URL).content.decode()
    assert "Ann Soon" not in page
    assert "No issued credentials expire in the next 30 days" in page


def test_pages_cost_the_same_queries_at_two_sizes(trust, client_a, django_assert_max_num_queries):
    client_a.get(URL)
    with django_assert_max_num_queries(16) as small:
        assert client_a.get(URL).status_code == 200
    with django_assert_max_num_queries(16) as small_team:  # one more: the team's credentials
        assert client_a.get(URL + "?team=hr").status_code == 200
    rows = [
        f"{person_row(f'7{n:07d}', 'Person', f'Number{n}')},right-to-work,R{n},{_day(-100)},{_day(n % 30)}"
        for n in range(60)
    ]
    esr_import_rows(trust, *rows)
    assert StaffCredential.objects.for_centre(trust).filter(status="issued").count() > 60
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client_a.get(URL).content.decode()
    assert "62 credentials expiring" in page
    with django_assert_max_num_queries(len(small_team.captured_queries)):
        second = client_a.get(URL + "?team=hr&page=2").content.decode()
    assert "61 credentials expiring (HR team)" in second
    assert "?team=hr&amp;page=1" in second or "?team=hr&page=1" in second


def test_an_expired_credential_counts_as_missing_in_the_lists_and_the_summary(trust, client_a):
    """Di's fire safety training expired yesterday: status "issued", but her page says "Expired", the
    staff list counts it as missing (0, not 1, of her required) and the education and training summary does not
    count it as expiring."""
    assert "cstf-fire-safety" in required_codes()
    gone = StaffCredential.objects.for_centre(trust).get(staff_member__last_name="Gone")
    assert gone.status == "issued"
    assert gone.is_expired
    listing = re.sub(r"\s+", " ", client_a.get(reverse("staffpassport:staff_awaiting")).content.decode())
    row = listing[listing.index("Di Gone") :]
    row = row[: row.index("</tr>")]
    assert "0 of " in row
    assert "does not count as issued" in listing
    counts = team_counts(centre=trust, team="education_training")
    assert counts["expiring"] == 1  # Ben's, not Di's
    awaiting = StaffMember.objects.for_centre(trust).filter(passport_status="awaiting_credentials").count()
    assert counts["incomplete"] == awaiting
    detail = client_a.get(reverse("staffpassport:staff_detail", kwargs={"staff_id": gone.staff_member.public_id}))
    assert "Expired" in detail.content.decode()
