"""Issue 11, finding 3 (ADR 0017): a report file is downloadable only while its requester still
holds the access that allowed it, and every download (and every refused one) is audited.

On the old code a report stayed downloadable for 7 days after the role that allowed it was
removed, and downloads were not audited: every test here failed there.
"""

import pytest
from django.urls import reverse
from guardian.shortcuts import remove_perm

from centres.models import AuditEvent, RoleAssignment
from centres.roles import Permission, Role
from centres.services.roles import role_revoke
from passports.models import Supervisor
from passports.tests.factories import enrolment_build, framework_version_build
from referrals.access import register_access_for_user
from referrals.models import AccessLimit
from referrals.reports import KIND_REFERRALS, REPORT_TYPE_BY_KIND, report_request
from referrals.selectors.administration import register_audit_events
from referrals.tests.factories import ReferralFactory, register_build, register_person
from reporting.downloads import report_job_may_download
from reporting.models import ReportJob
from reporting.services import report_job_create, report_job_run
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def job_page(job):
    return reverse("reporting:job", kwargs={"job_id": job.public_id})


def download(job):
    return reverse("reporting:download", kwargs={"job_id": job.public_id})


def _built(response) -> ReportJob:
    assert response.status_code == 302, response
    job = ReportJob.objects.get(public_id=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    return report_job_run(job_id=job.pk)


def _events(action: str, job: ReportJob):
    return AuditEvent.objects.filter(action=action, target_type="reporting.ReportJob", target_id=str(job.public_id))


def _assign(user, centre, role: Role) -> RoleAssignment:
    return RoleAssignment.objects.for_centre(centre).get(user=user, role=role, revoked_at__isnull=True)


# -- centre reports: the delegates spreadsheet -----------------------------------------------------


@pytest.fixture
def centre():
    return CentreFactory()


@pytest.fixture
def manager(centre):
    return MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)


@pytest.fixture
def admin(centre):
    return MembershipFactory(centre=centre, role=Role.ADMINISTRATOR, has_prn=True, prn="NMC-99Z9999")


def test_each_download_is_audited_and_a_removed_role_gets_404_with_the_refusal_audited(
    client, login_as, centre, admin, manager
):
    login_as(admin.user, centre)
    job = _built(client.post(reverse("centres:delegate_export")))
    assert job.access == {"permissions": sorted([Permission.MANAGE_DELEGATES.value, Permission.VIEW_PRN.value])}

    first = client.get(download(job))
    assert first.status_code == 200
    b"".join(first.streaming_content)
    downloaded = _events("reporting.report_downloaded", job).get()
    assert (downloaded.actor, downloaded.centre) == (admin.user, centre)
    assert job.filename in downloaded.summary

    role_revoke(assignment=_assign(admin.user, centre, Role.ADMINISTRATOR), revoked_by=manager.user)
    # Still a delegate at the centre (so still "logged in there"), but no longer an administrator.
    assert client.get("/").status_code == 200
    refused = client.get(download(job))
    assert refused.status_code == 404
    assert client.get(job_page(job)).status_code == 404
    event = _events("reporting.report_download_refused", job).get()
    assert (event.actor, event.centre) == (admin.user, centre)
    assert _events("reporting.report_downloaded", job).count() == 1  # nothing more was served

    # The refusal looks exactly like an id that names nothing.
    ghost = ReportJob(public_id="00000000-0000-4000-8000-000000000000")
    assert client.get(download(ghost)).status_code == 404


def test_prn_columns_need_view_prn_still_held(client, login_as, centre, admin):
    login_as(admin.user, centre)
    job = _built(client.post(reverse("centres:delegate_export")))
    assert job.params["include_prn"] is True
    # A role set that keeps delegate management but no longer shows PRNs (guardian directly:
    # no role in today's table has one without the other).
    remove_perm(Permission.VIEW_PRN.codename, admin.user, centre)
    assert client.get(download(job)).status_code == 404
    assert _events("reporting.report_download_refused", job).exists()


def test_prn_rule_is_the_kinds_own_whatever_the_job_recorded(centre, admin):
    """Even a job that recorded too little (a bug in a view) cannot hand out PRNs."""
    job = report_job_create(
        centre=centre,
        requested_by=admin.user,
        kind="delegates",
        title="Delegates",
        params={"include_prn": True},
        filename="d.xlsx",
        access={"permissions": [Permission.MANAGE_DELEGATES]},
    )
    held = frozenset({Permission.MANAGE_DELEGATES.value})
    assert not report_job_may_download(job=job, user=admin.user, held=held)
    assert report_job_may_download(job=job, user=admin.user, held=held | {Permission.VIEW_PRN.value})


def test_a_job_without_recorded_access_is_never_served(client, login_as, centre, admin):
    """Jobs made before access was recorded (the migration leaves `access` empty) fail closed."""
    job = report_job_create(
        centre=centre,
        requested_by=admin.user,
        kind="delegates",
        title="Delegates",
        params={},
        filename="d.xlsx",
        access={"permissions": [Permission.MANAGE_DELEGATES]},
    )
    report_job_run(job_id=job.pk)
    ReportJob.objects.filter(pk=job.pk).update(access={})
    login_as(admin.user, centre)
    assert client.get(download(job)).status_code == 404


def test_report_job_create_needs_the_access_that_allowed_it(centre, admin):
    with pytest.raises(ValueError, match="needs access"):
        report_job_create(
            centre=centre, requested_by=admin.user, kind="delegates", title="D", params={}, filename="d", access={}
        )
    assert not ReportJob.objects.exists()


# -- register reports: patient data -------------------------------------------------------------------


@pytest.fixture
def dsr():
    north, south = CentreFactory(name="North Trust"), CentreFactory(name="South Trust")
    register = register_build(centres=[north, south])
    admin = register_person(centre=north, role=Role.DSR_ADMIN)
    reporter = register_person(centre=north, role=Role.DSR_REPORTING)
    ReferralFactory(centre=north, created_by=admin)
    ReferralFactory(centre=south, created_by=admin)
    return {"register": register, "north": north, "south": south, "admin": admin, "reporter": reporter}


def _referral_report(user, centre) -> ReportJob:
    access = register_access_for_user(user=user, centre=centre)
    job = report_request(
        access=access,
        report=REPORT_TYPE_BY_KIND[KIND_REFERRALS],
        params={"organisation": "", "age": "", "risk": "", "locality": ""},
        filter_summary=[],
    )
    job = report_job_run(job_id=job.pk)
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.rows == 2
    return job


def test_a_referral_report_is_refused_once_the_reporting_role_is_revoked(client, login_as, dsr):
    job = _referral_report(dsr["reporter"], dsr["north"])
    assert job.access["organisations"] == sorted([dsr["north"].pk, dsr["south"].pk])
    login_as(dsr["reporter"], dsr["north"])
    assert client.get(download(job)).status_code == 200
    # Shown on the register's own audit page (its actions start "referral.").
    assert _events("referral.report_downloaded", job).get().centre == dsr["north"]
    administrator = register_access_for_user(user=dsr["admin"], centre=dsr["north"])
    assert register_audit_events(access=administrator, action="referral.report_downloaded").count() == 1

    role_revoke(assignment=_assign(dsr["reporter"], dsr["north"], Role.DSR_REPORTING), revoked_by=dsr["admin"])
    assert client.get(download(job)).status_code == 404
    assert _events("referral.report_download_refused", job).get().actor == dsr["reporter"]


def test_a_referral_report_is_refused_once_the_person_is_limited_to_fewer_organisations(client, login_as, dsr):
    job = _referral_report(dsr["reporter"], dsr["north"])
    AccessLimit.objects.create(register=dsr["register"], user=dsr["reporter"], centre=dsr["north"])
    login_as(dsr["reporter"], dsr["north"])
    assert client.get(download(job)).status_code == 404  # the file holds South Trust's referrals
    assert _events("referral.report_download_refused", job).exists()


def test_a_register_report_is_never_served_to_platform_staff(client, login_as, dsr):
    job = _referral_report(dsr["reporter"], dsr["north"])
    dsr["reporter"].is_staff = True
    dsr["reporter"].save(update_fields=["is_staff"])
    login_as(dsr["reporter"], dsr["north"])
    assert client.get(download(job)).status_code == 404


def test_a_file_never_covers_more_organisations_than_were_recorded(dsr):
    """Limits lifted between asking and building do not widen the file beyond what the
    download check will compare against."""
    AccessLimit.objects.create(register=dsr["register"], user=dsr["reporter"], centre=dsr["north"])
    access = register_access_for_user(user=dsr["reporter"], centre=dsr["north"])
    job = report_request(
        access=access,
        report=REPORT_TYPE_BY_KIND[KIND_REFERRALS],
        params={"organisation": "", "age": "", "risk": "", "locality": ""},
        filter_summary=[],
    )
    AccessLimit.objects.filter(user=dsr["reporter"]).delete()
    job = report_job_run(job_id=job.pk)
    assert (job.status, job.rows, job.access["organisations"]) == (ReportJob.Status.DONE, 1, [dsr["north"].pk])


def test_the_register_audit_export_needs_the_administrator_role_still(client, login_as, dsr):
    login_as(dsr["admin"], dsr["north"])
    job = _built(client.post(reverse("referrals:audit_export")))
    assert job.access["permissions"] == [Permission.ADMINISTER_REGISTER.value]
    assert client.get(download(job)).status_code == 200
    assert _events("register.report_downloaded", job).exists()
    other_admin = register_person(centre=dsr["north"], role=Role.DSR_ADMIN)
    role_revoke(assignment=_assign(dsr["admin"], dsr["north"], Role.DSR_ADMIN), revoked_by=other_admin)
    assert client.get(download(job)).status_code == 404
    assert _events("register.report_download_refused", job).exists()


# -- passport records -----------------------------------------------------------------------------------


def test_a_passport_record_is_refused_once_the_supervisor_is_removed(client, login_as, centre):
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    learner = MembershipFactory(centre=centre)
    enrolment = enrolment_build(
        centre=centre, version=framework_version_build(sections=1, per_section=2), learner=learner, educator=educator
    )
    assessor = MembershipFactory(centre=centre, role=Role.ASSESSOR)
    supervisor = Supervisor.objects.create(
        centre=centre, enrolment=enrolment, user=assessor.user, added_by=educator.user
    )
    login_as(assessor.user, centre)
    job = _built(client.post(reverse("passports:record_xlsx", kwargs={"enrolment_id": enrolment.public_id})))
    assert client.get(download(job)).status_code == 200
    supervisor.delete()
    assert client.get(download(job)).status_code == 404
    assert _events("reporting.report_download_refused", job).exists()
    # The learner's own record needs no role: theirs while the enrolment is current.
    login_as(learner.user, centre)
    own = _built(client.post(reverse("passports:record_pdf", kwargs={"enrolment_id": enrolment.public_id})))
    assert client.get(download(own)).status_code == 200
