"""Issue 15 S7 (ESR import) with a REAL worker killed mid-job, as tests/test_worker_faults.py
does for the delegate bulk upload: the one upload sweep (`reporting.upload_workflow`) sends
the step a dead worker left again, and the feed is saved exactly once. Before: the ESR sweep
only failed a stale import ("The work stopped part way"), however many attempts were left."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, transaction
from django.urls import reverse

from centres.models import AuditEvent
from centres.roles import Role
from reporting.upload_workflow import upload_jobs_sweep
from staffpassport.esr.kind import INLINE_MAX_ROWS
from staffpassport.models import EsrImport, StaffMember
from staffpassport.tests.esr_helpers import esr_file, person_row
from tests.factories import CentreFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROWS = INLINE_MAX_ROWS + 500  # the save goes to the worker, in two chunks (a heartbeat after each)


@pytest.fixture
def slow_jobs(monkeypatch):
    """Requested before `worker`, so the worker starts with the pause."""
    monkeypatch.setenv("JOB_PROGRESS_DELAY_SECONDS", "3")


def _fresh(pk):
    return EsrImport.objects.get(pk=pk)


def _row_locked(pk) -> bool:
    """Whether a transaction (the commit) holds the import's row lock."""
    try:
        with transaction.atomic():
            EsrImport.objects.select_for_update(nowait=True).filter(pk=pk).first()
    except OperationalError:
        return True
    return False


def test_a_worker_killed_while_saving_an_esr_feed_saves_nothing_then_the_sweep_saves_it_once(
    slow_jobs, worker, role_member, login_as, settings
):
    settings.JOB_STALE_AFTER_SECONDS = 1
    trust = CentreFactory()
    client = login_as(role_member(trust, Role.SENIOR_PORTAL_ADMIN).user, trust)
    feed = esr_file(*(f"{person_row(str(90000000 + n), f'Ann{n}', 'Lee')},,,," for n in range(ROWS)))
    response = client.post(
        reverse("staffpassport:esr_upload"), {"file": SimpleUploadedFile("big.csv", feed.getvalue())}
    )
    esr_import = EsrImport.objects.get()
    # Checked by the worker, not in the request (whatever the file's size).
    assert "Checking the ESR feed" in client.get(response["Location"]).content.decode()
    worker.wait_for("the preview", lambda: _fresh(esr_import.pk).status == "preview")
    stored = _fresh(esr_import.pk).file.path
    client.post(reverse("staffpassport:esr_confirm", kwargs={"import_id": esr_import.public_id}))

    worker.wait_for("the commit to hold its transaction", lambda: _row_locked(esr_import.pk))
    page = client.post(reverse("staffpassport:esr_cancel", kwargs={"import_id": esr_import.public_id}), follow=True)
    assert "cannot be cancelled part way" in page.content.decode()
    worker.kill()
    esr_import.refresh_from_db()
    assert (esr_import.status, esr_import.attempts) == ("committing", 1)
    assert not StaffMember.objects.for_centre(trust).exists()  # rolled back
    assert "Saving the staff and credentials" in client.get(response["Location"]).content.decode()

    worker.start_again()
    time.sleep(1.1)  # no heartbeat for JOB_STALE_AFTER_SECONDS
    worker.wait_for("the sweep to send it again", lambda: upload_jobs_sweep()["resent"])
    worker.wait_for("the save to finish", lambda: (i := _fresh(esr_import.pk)).status == "committed" and not i.file)
    esr_import.refresh_from_db()
    assert (esr_import.attempts, esr_import.counts["new_staff"]) == (2, ROWS)
    assert StaffMember.objects.for_centre(trust).count() == ROWS
    assert AuditEvent.objects.for_centre(trust).filter(action="staffpassport.esr_imported").count() == 1
    assert not os.path.exists(stored)  # the feed with personal data is gone
    assert "ESR feed saved" in client.get(response["Location"]).content.decode()
