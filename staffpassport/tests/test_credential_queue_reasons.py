"""A rejection reason longer than the history's 100-character "why" column is kept whole on the
credential; the history holds its start (it raised a DataError before)."""

import pytest

from staffpassport.models import StaffCredential
from staffpassport.services.credential_queue import HISTORY_REASON_MAX_LENGTH, credentials_reject
from staffpassport.tests.esr_helpers import esr_import_rows, manual_issue, person_row
from tests.factories import CentreFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_long_rejection_reason_is_kept_whole_and_the_history_holds_its_start():
    trust = CentreFactory()
    manual_issue(trust, "dbs-basic")
    esr_import_rows(trust, person_row("40000001", "Tom", "Hughes") + ",dbs-basic,009876543210,2024-03-01,")
    waiting = StaffCredential.objects.for_centre(trust).get(status=StaffCredential.Status.WAITING)
    reason = "The certificate number does not match the DBS update service: " + "ask for the original. " * 10

    credentials_reject(centre=trust, public_ids=[waiting.public_id], reason=reason, rejected_by=UserFactory())

    waiting.refresh_from_db()
    assert (waiting.status, waiting.rejection_reason) == (StaffCredential.Status.REJECTED, reason.strip())
    why = waiting.history.first().history_change_reason
    assert len(why) == HISTORY_REASON_MAX_LENGTH
    assert why.startswith("Rejected: The certificate number does not match")
