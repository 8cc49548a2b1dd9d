"""Issue 15 S7 without a worker: what the one upload sweep and cancel do with ESR imports a
dead worker left (tests/test_worker_faults_esr.py kills a real one)."""

import datetime
import os

import pytest
from django.urls import reverse
from django.utils import timezone

from centres.roles import Role
from reporting.upload_workflow import upload_jobs_expire, upload_jobs_sweep
from staffpassport.models import EsrImport, StaffMember
from staffpassport.services import esr_imports
from staffpassport.tests.esr_helpers import esr_file, person_row
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(hours=1)


@pytest.fixture
def esr_import():
    centre = CentreFactory()
    esr_import = EsrImport.objects.create(
        centre=centre, uploaded_by=MembershipFactory(centre=centre).user, file_name="feed.csv"
    )
    esr_import.file.save("feed.csv", esr_file(f"{person_row('90000001', 'Ann', 'Lee')},,,,"))
    return esr_import


def _left_by_a_dead_worker(esr_import, status, attempts):
    EsrImport.objects.filter(pk=esr_import.pk).update(status=status, attempts=attempts, heartbeat_at=LONG_AGO)


@pytest.mark.parametrize(
    ("status", "task"),
    [("validating", "esr_import_validate_task"), ("committing", "esr_import_commit_task")],
)
def test_a_stale_import_with_attempts_left_is_sent_again_not_failed(esr_import, monkeypatch, status, task):
    sent = []
    monkeypatch.setattr(f"staffpassport.tasks.{task}.delay", lambda pk: sent.append(pk))
    _left_by_a_dead_worker(esr_import, status, 1)
    assert upload_jobs_sweep()["resent"] == 1
    assert sent == [esr_import.pk]
    esr_import.refresh_from_db()
    assert (esr_import.status, esr_import.heartbeat_at > LONG_AGO) == (status, True)
    assert upload_jobs_sweep()["resent"] == 0  # not sent again at once


@pytest.mark.parametrize(
    ("status", "ending", "message"),
    [
        ("validating", "rejected", "The feed could not be checked: the work stopped part way 3 times"),
        ("committing", "failed", "The feed could not be saved: the work stopped part way 3 times"),
    ],
)
def test_after_the_last_attempt_the_sweep_fails_it_visibly_and_deletes_the_file(esr_import, status, ending, message):
    _left_by_a_dead_worker(esr_import, status, 3)
    path = esr_import.file.path
    assert upload_jobs_sweep()["failed"] == 1
    esr_import.refresh_from_db()
    kept = ending == "failed"  # a save that stopped keeps its (fine) file for "Try again"
    assert (esr_import.status, bool(esr_import.file), os.path.exists(path)) == (ending, kept, kept)
    assert esr_import.message.startswith(message)


def test_a_failed_save_whose_file_was_fine_is_tried_again_from_the_page(esr_import, role_member, login_as):
    _left_by_a_dead_worker(esr_import, "committing", 3)
    upload_jobs_sweep()
    client = login_as(role_member(esr_import.centre, Role.SENIOR_PORTAL_ADMIN).user, esr_import.centre)
    page_url = reverse("staffpassport:esr_import", kwargs={"import_id": esr_import.public_id})
    page = client.get(page_url).content.decode()
    assert "The ESR feed was not saved" in page
    assert "Try again" in page
    assert "Upload the corrected ESR feed" not in page
    client.post(reverse("staffpassport:esr_retry", kwargs={"import_id": esr_import.public_id}))
    esr_import.refresh_from_db()
    assert (esr_import.status, esr_import.counts["new_staff"], bool(esr_import.file)) == ("committed", 1, False)
    assert StaffMember.objects.for_centre(esr_import.centre).count() == 1
    assert "ESR feed saved" in client.get(page_url).content.decode()


def test_a_redelivered_message_after_the_last_attempt_gives_up_too(esr_import):
    _left_by_a_dead_worker(esr_import, "committing", 3)
    esr_imports.WORKFLOW.commit(job_id=esr_import.pk)
    assert EsrImport.objects.get(pk=esr_import.pk).status == "failed"
    assert not StaffMember.objects.exists()


def test_a_save_whose_worker_died_can_be_cancelled_and_is_not_saved_later(esr_import):
    _left_by_a_dead_worker(esr_import, "committing", 1)
    esr_imports.WORKFLOW.cancel(job=esr_import)
    esr_imports.WORKFLOW.commit(job_id=esr_import.pk)  # the redelivered message
    assert EsrImport.objects.get(pk=esr_import.pk).status == "cancelled"
    assert not StaffMember.objects.exists()


def test_a_preview_nobody_confirmed_expires_with_its_file(esr_import):
    EsrImport.objects.filter(pk=esr_import.pk).update(
        status="preview", created_at=timezone.now() - datetime.timedelta(days=8)
    )
    path = esr_import.file.path
    assert upload_jobs_expire() == 1
    assert EsrImport.objects.get(pk=esr_import.pk).status == "cancelled"
    assert not os.path.exists(path)


def test_beat_runs_one_sweep_for_every_upload_kind(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reporting.tasks.upload_jobs_sweep_task" in tasks
    assert not {"centres.tasks.bulk_uploads_sweep_task", "staffpassport.tasks.esr_imports_sweep_task"} & tasks
