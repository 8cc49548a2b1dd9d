"""R11: the register's audit trail, its filters and export, and login auditing."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from centres.audit import audit_record
from centres.models import AuditEvent
from centres.roles import Role
from referrals.tests.factories import ReferralFactory, register_build, register_person
from reporting.models import ReportJob
from reporting.services import report_job_run
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    trust, council = CentreFactory(name="Alpha Trust"), CentreFactory(name="Beta Council")
    register = register_build(name="Staffs DSR", slug="staffs-dsr", centres=[trust, council])
    other_centre = CentreFactory(name="Other Trust")
    register_build(name="Other DSR", slug="other-dsr", centres=[other_centre])
    admin = register_person(centre=trust, role=Role.DSR_ADMIN, user__email="admin@alpha.example")
    referrer = register_person(centre=council, role=Role.REFERRER, user__email="ref@beta.example")
    referral = ReferralFactory(centre=council, created_by=referrer, reference="DSR0000042")
    AuditEvent.objects.all().delete()  # start from a clean trail (role grants are audited)
    return {
        "register": register,
        "trust": trust,
        "council": council,
        "other_centre": other_centre,
        "admin": admin,
        "referrer": referrer,
        "referral": referral,
    }


def _event(actor, centre, action, target=None, summary="", at=None):
    event = audit_record(actor=actor, centre=centre, action=action, target=target, summary=summary)
    if at is not None:
        AuditEvent.objects.filter(pk=event.pk).update(at=at)
    return event


@pytest.fixture
def admin_client(client, login_as, world):
    client = login_as(world["admin"], world["trust"])
    AuditEvent.objects.filter(action="register.login").delete()
    return client


def _audit(client, **params):
    return client.get(reverse("referrals:audit"), params)


def test_shows_register_events_of_the_permitted_organisations_only(admin_client, world):
    _event(world["referrer"], world["council"], "referral.viewed", world["referral"], "Referral DSR0000042")
    _event(world["admin"], world["trust"], "register.configured", summary="The referral form changed")
    _event(world["admin"], world["trust"], "delegates.exported", summary="Not a register event")
    _event(None, world["other_centre"], "referral.viewed", summary="Other register's view")
    response = _audit(admin_client)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Referral DSR0000042" in text
    assert "ref@beta.example" in text
    assert "The referral form changed" in text
    assert "Not a register event" not in text
    assert "Other register&#39;s view" not in text
    assert "Other register's view" not in text


def test_limited_administrator_sees_only_their_organisations_events(client, login_as, world):
    limited = register_person(centre=world["council"], role=Role.DSR_ADMIN, limited_to=[world["council"]])
    _event(world["admin"], world["trust"], "register.configured", summary="At the trust")
    _event(world["referrer"], world["council"], "referral.created", summary="At the council")
    login_as(limited, world["council"])
    text = _audit(client).content.decode()
    assert "At the council" in text
    assert "At the trust" not in text


def test_filters(admin_client, world):
    now = timezone.now()
    _event(world["referrer"], world["council"], "referral.viewed", world["referral"], "zq viewed", now)
    _event(world["referrer"], world["council"], "referral.created", summary="zq old", at=now - timedelta(days=40))
    _event(world["admin"], world["trust"], "register.configured", summary="zq settings")
    today = timezone.localdate().isoformat()

    def shown(**params):
        text = _audit(admin_client, **params).content.decode()
        return {summary for summary in ("zq viewed", "zq old", "zq settings") if summary in text}

    assert shown() == {"zq viewed", "zq old", "zq settings"}
    assert shown(date_from=today) == {"zq viewed", "zq settings"}
    assert shown(date_to=(timezone.localdate() - timedelta(days=30)).isoformat()) == {"zq old"}
    assert shown(action="referral.created") == {"zq old"}
    assert shown(person="REF@beta") == {"zq viewed", "zq old"}
    assert shown(reference="dsr0000042") == {"zq viewed"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-02-31"}, "Enter the from date as a real date"),
        ({"date_to": "yesterday"}, "Enter the to date as a real date"),
        ({"date_from": "2026-11-02", "date_to": "2026-11-01"}, "The to date must be the same as or after"),
        ({"action": "'; drop table"}, "Choose what happened from the list"),
        ({"reference": "NOPE1"}, "No referral you can see has the reference NOPE1"),
        ({"reference": "X" * 40}, "A referral reference is 12 characters or fewer"),
    ],
)
def test_bad_filters_are_explained_never_a_500(admin_client, world, params, message):
    response = _audit(admin_client, **params)
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert message in text


def test_another_registers_referral_reference_is_not_found(admin_client, world):
    elsewhere = register_person(centre=world["other_centre"], role=Role.REFERRER)
    ReferralFactory(centre=world["other_centre"], created_by=elsewhere, reference="OTHER00001")
    assert _audit(admin_client, reference="OTHER00001").status_code == 400


def test_paginated_50_a_page_newest_first_in_constant_queries(admin_client, world):
    base = timezone.now() - timedelta(hours=1)
    for n in range(2):
        _event(world["referrer"], world["council"], "referral.viewed", summary=f"event {n:03d}", at=base)
    _audit(admin_client)
    with CaptureQueriesContext(connection) as few:
        _audit(admin_client)
    for n in range(2, 60):
        _event(
            world["referrer"],
            world["council"],
            "referral.viewed",
            summary=f"event {n:03d}",
            at=base + timedelta(minutes=n),
        )
    with CaptureQueriesContext(connection) as many:
        response = _audit(admin_client)
    assert len(many.captured_queries) == len(few.captured_queries)
    text = response.content.decode()
    assert "Page 1 of 2" in text
    assert "event 059" in text
    assert "event 000" not in text  # the oldest are on page 2
    assert "event 000" in _audit(admin_client, page=2).content.decode()
    assert _audit(admin_client, page="zzz").status_code == 200


# -- export -----------------------------------------------------------------------------------------


def test_export_builds_an_excel_file_of_the_filtered_events(admin_client, world, django_capture_on_commit_callbacks):
    _event(world["referrer"], world["council"], "referral.viewed", world["referral"], "=HYPERLINK(evil)")
    _event(world["admin"], world["trust"], "register.configured", summary="configured")
    with django_capture_on_commit_callbacks(execute=False):
        response = admin_client.post(reverse("referrals:audit_export") + "?action=referral.viewed")
    job = ReportJob.objects.get(kind="register_audit")
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:job", kwargs={"job_id": job.public_id})
    exported = AuditEvent.objects.get(action="register.audit_exported")
    assert "What happened: referral.viewed" in exported.summary
    job = report_job_run(job_id=job.pk)
    assert job.status == ReportJob.Status.DONE, job.error
    sheet = load_workbook(io.BytesIO(job.file.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("When", "Who", "Email", "What")
    assert len(rows) == 2
    assert rows[1][2] == "ref@beta.example"
    assert rows[1][6] == "'=HYPERLINK(evil)"  # formula escaped


def test_a_get_of_the_export_makes_nothing_and_shows_the_audit_page(admin_client, world):
    """ADR 0017: only the audit page's POST button asks for the export."""
    response = admin_client.get(reverse("referrals:audit_export") + "?action=referral.viewed")
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:audit") + "?action=referral.viewed"
    assert not ReportJob.objects.exists()
    assert not AuditEvent.objects.filter(action="register.audit_exported").exists()


def test_export_with_bad_filters_writes_nothing(admin_client, world):
    response = admin_client.post(reverse("referrals:audit_export") + "?date_from=nonsense")
    assert response.status_code == 400
    assert not ReportJob.objects.exists()
    assert not AuditEvent.objects.filter(action="register.audit_exported").exists()


def test_export_fails_if_the_requester_is_no_longer_an_administrator(admin_client, world):
    from centres.models import RoleAssignment
    from centres.services.roles import object_permissions_sync

    with_callbacks = admin_client.post(reverse("referrals:audit_export"))
    assert with_callbacks.status_code == 302
    job = ReportJob.objects.get(kind="register_audit")
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.QUEUED)
    RoleAssignment.objects.filter(user=world["admin"]).update(revoked_at=timezone.now())
    for centre in {assignment.centre for assignment in RoleAssignment.objects.filter(user=world["admin"])}:
        object_permissions_sync(user=world["admin"], centre=centre)  # as role_revoke does
    job = report_job_run(job_id=job.pk)
    assert job.status == ReportJob.Status.FAILED


# -- logins -------------------------------------------------------------------------------------------


def test_logins_of_register_users_are_audited_at_their_organisation(client, world):
    world["referrer"].set_password("a long enough passphrase 42")
    world["referrer"].save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=world["referrer"]).update(verified=True)
    response = client.post(
        reverse("account_login"), {"login": "ref@beta.example", "password": "a long enough passphrase 42"}
    )
    assert response.status_code == 302
    login = AuditEvent.objects.get(action="register.login")
    assert (login.actor, login.centre) == (world["referrer"], world["council"])
    client.logout()
    client.post(reverse("account_login"), {"login": "ref@beta.example", "password": "wrong wrong wrong"})
    failed = AuditEvent.objects.get(action="register.login_failed")
    assert failed.centre == world["council"]


def test_logins_of_people_without_register_roles_are_not_register_events(client, world):
    learner = MembershipFactory(centre=world["trust"]).user
    client.force_login(learner, backend="allauth.account.auth_backends.AuthenticationBackend")
    assert not AuditEvent.objects.filter(action__startswith="register.").exists()
