"""S7 weekly team summaries through the notifications audiences: one email per team that is
on, counting what waits for it; idempotent per ISO week; none when nothing waits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import OutboundEmail
from notifications.summaries import audience_summaries_send_for_centre, iso_week_of
from notifications.tasks import weekly_summaries_send_task
from staffpassport.models import StaffCredential, TeamNotification, TeamWeeklySummary
from staffpassport.team_summaries import TEAM_SUMMARIES, team_counts
from staffpassport.tests.esr_helpers import esr_import_rows, manual_issue, person_row
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db
CODE = TEAM_SUMMARIES.code


def _teams(centre, **on):
    for team in ("hr", "occupational_health", "education_training"):
        TeamNotification.objects.create(
            centre=centre, team=team, email=f"{team}@trust.nhs.uk", send_emails=on.get(team, False)
        )


@pytest.fixture
def trust():
    centre = CentreFactory()
    manual_issue(centre, "dbs-enhanced-barred", "mmr")
    soon = (timezone.localdate() + timedelta(days=10)).isoformat()
    nurse = person_row("50000001", "Grace", "Marsh", group="Nursing and Midwifery Registered", kind="New starter")
    clerk = person_row("50000002", "Tom", "Hughes")
    esr_import_rows(
        centre,
        f"{nurse},dbs-enhanced-barred,D1,2025-01-01,",
        f"{nurse},mmr,,2025-01-01,",
        f"{nurse},right-to-work,R1,2025-01-01,{soon}",
        f"{clerk},cstf-fire-safety,,2025-01-01,{soon}",
    )
    return centre


def test_each_team_counts_its_own_outstanding_actions(trust):
    hr = team_counts(centre=trust, team="hr")
    assert hr == {"waiting": 1, "expiring": 1, "incomplete": 1, "new_starters": 1}
    assert team_counts(centre=trust, team="occupational_health") == {
        "waiting": 1, "expiring": 0, "incomplete": 1, "new_starters": 1,
    }  # fmt: skip
    training = team_counts(centre=trust, team="education_training")
    assert (training["waiting"], training["expiring"], training["incomplete"], training["new_starters"]) == (0, 1, 2, 1)


def test_one_email_per_team_that_is_on_once_a_week(trust):
    _teams(trust, hr=True, education_training=True)
    year, week = iso_week_of()
    assert weekly_summaries_send_task() >= 1
    assert TeamWeeklySummary.objects.for_centre(trust).count() == 2
    emails = OutboundEmail.objects.filter(template="staffpassport/emails/team_summary").order_by("to")
    assert [email.to for email in emails] == [["education_training@trust.nhs.uk"], ["hr@trust.nhs.uk"]]
    hr_email = emails[1]
    assert "1 credential waiting for manual issue" in hr_email.text_body
    assert "1 credential expiring in the next 30 days" in hr_email.text_body
    assert "1 staff member whose required credentials are incomplete" in hr_email.text_body
    assert "1 is a new starter among them" in hr_email.text_body
    assert "/staff-passport/credentials/waiting/" in hr_email.text_body
    # Run again (a redelivered task, a second beat): nothing more.
    assert audience_summaries_send_for_centre(code=CODE, centre_id=trust.pk, iso_year=year, iso_week=week) == 0
    assert OutboundEmail.objects.filter(template="staffpassport/emails/team_summary").count() == 2
    # Next week counts again.
    assert audience_summaries_send_for_centre(code=CODE, centre_id=trust.pk, iso_year=year, iso_week=week + 1) == 2


def test_no_email_when_nothing_waits_and_none_for_a_team_that_is_off():
    centre = CentreFactory()
    _teams(centre, hr=True)
    year, week = iso_week_of()
    assert audience_summaries_send_for_centre(code=CODE, centre_id=centre.pk, iso_year=year, iso_week=week) == 0
    assert not TeamWeeklySummary.objects.exists()  # an empty week claims nothing


def test_what_was_issued_no_longer_counts(trust):
    _teams(trust, occupational_health=True)
    StaffCredential.objects.for_centre(trust).filter(status="waiting").update(status="issued", issued_at=timezone.now())
    counts = team_counts(centre=trust, team="occupational_health")
    assert counts["waiting"] == 0
