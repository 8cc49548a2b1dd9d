"""Issue 11, finding 3 (ADR 0017): a GET changes nothing.

A link (or an image tag) on another site makes the browser send a GET with the person's
cookies, so nothing that creates a report job, sends an email or writes to the trail may
happen on a GET: those are POST forms with a CSRF token. This test walks every URL pattern of
the project (tests/tenancy.py) with GET as people who may use it, with their own centre's
object ids so that the views really run, and fails when a GET wrote a row anywhere.

On the old code it failed: `GET /centre/delegates/export/` and `/dsr/administration/audit/export/`
created report jobs and audit events, and the bulk upload downloads wrote audit events.

A GET may write only records of someone *reading* personal data (READ_RECORDS below): the
trail must show who opened a referral or downloaded a file, and that is not a change.
"""

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from centres.middleware import SESSION_KEY
from centres.models import AuditEvent
from centres.roles import Role
from notifications.models import OutboundEmail
from reporting.models import ReportJob
from reporting.services import report_job_create, report_job_run
from staffpassport.vc.keys import signing_key_active
from tests.factories import UserFactory, grant_role
from tests.test_isolation import concrete_urls, world  # noqa: F401 - `world` is a fixture

pytestmark = pytest.mark.django_db

# Audit actions a GET may write, each a record of reading (never of a change).
READ_RECORDS = {
    "referral.viewed": "R11: every view of a referral is in the register's trail",
    "referral.refused": "R11: a refused look at a referral or another organisation's figures",
    "reporting.report_downloaded": "a report file served (ADR 0017)",
    "reporting.report_download_refused": "a report file refused: the access that allowed it is gone",
    "referral.report_downloaded": "as above, for a register report",
    "referral.report_download_refused": "as above, for a register report",
    "register.report_downloaded": "as above, for the register audit export",
    "register.report_download_refused": "as above, for the register audit export",
    "framework.version_downloaded": "P1: platform staff downloaded a framework (platform data)",
    "passport.certificate_downloaded": "P9: a certificate PDF served (ADR 0017)",
    "elearning.certificate_downloaded": "E1: an eLearning certificate PDF served (ADR 0017)",
    "staffpassport.vc_downloaded": "S8: a verifiable credential (VC-JWT) served (ADR 0040)",
}

# Tables a GET may write to, with the reason.
WRITABLE_ON_GET = {
    "sessions.Session": "logging in and the current centre live in the session",
    "centres.AuditEvent": "checked on its own below: only READ_RECORDS",
}


def _tables() -> dict[str, str]:
    """Every table of the project (model label -> table), including many-to-many tables."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label not in WRITABLE_ON_GET and not model._meta.proxy and model._meta.managed:
            tables[model._meta.label] = model._meta.db_table
    return tables


def _counts() -> dict[str, int]:
    """The row count of every table, in one query."""
    tables = _tables()
    quote = connection.ops.quote_name
    # Table names come from the models, never from input.
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables.values())  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _client(user, centre=None) -> Client:
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    if centre is not None:
        session = client.session
        session[SESSION_KEY] = centre.pk
        session.save()
    return client


def _walk(client: Client, urls, centre=None, statuses: dict | None = None) -> list[str]:
    problems = []
    for url in urls:
        if centre is not None and client.session.get(SESSION_KEY) != centre.pk:
            session = client.session  # a page (e.g. choose a centre) may have changed it
            session[SESSION_KEY] = centre.pk
            session.save()
        before = _counts()
        last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(url)
        if statuses is not None:
            statuses[url] = response.status_code
        if response.status_code >= 500:
            problems.append(f"GET {url}: server error")
        # And (tests/test_no_store.py) nothing a logged-in person is shown may be cached.
        if "no-store" not in response.get("Cache-Control", ""):
            problems.append(f"GET {url}: no Cache-Control: no-store for a logged-in person")
        after = _counts()
        changed = {label: after[label] - before[label] for label in after if after[label] != before[label]}
        if changed:
            problems.append(f"GET {url} changed {changed}")
        written = set(AuditEvent.objects.filter(pk__gt=last_event).values_list("action", flat=True))
        if written - set(READ_RECORDS):
            problems.append(f"GET {url} wrote audit events {sorted(written - set(READ_RECORDS))}")
    return problems


def _urls(b: dict) -> list[str]:
    return [url for url, _, _ in concrete_urls(b)]


def test_no_get_changes_anything_for_a_person_holding_every_role(world):  # noqa: F811
    """Centre B's learner (with an enrolment, a certificate and requests) given every centre
    and register role at B, walking B's own objects: every view runs for real."""
    b = world["b"]
    person = b["membership"]
    for role in Role:
        grant_role(person.user, b["centre"], role)
    # Their own finished report, so the walk reaches a real report page and download.
    b["report_job"] = report_job_create(
        centre=b["centre"],
        requested_by=person.user,
        kind="delegates",
        title="Delegates",
        params={},
        filename="walk.xlsx",
        access={"permissions": ["centres.manage_delegates"]},
    )
    assert report_job_run(job_id=b["report_job"].pk).status == ReportJob.Status.DONE
    # Migration 0003 makes the platform's first signing key; a transactional test's flush
    # removes it and the first download makes it again. Have it, as every deployment does.
    signing_key_active()
    urls = _urls(b)
    assert f"/reports/{b['report_job'].public_id}/download/" in urls
    jobs, emails = ReportJob.objects.count(), OutboundEmail.objects.count()
    statuses = {}
    problems = _walk(_client(person.user, b["centre"]), urls, centre=b["centre"], statuses=statuses)
    assert problems == []
    assert sum(status == 200 for status in statuses.values()) > 100  # the views really ran
    assert (ReportJob.objects.count(), OutboundEmail.objects.count()) == (jobs, emails)
    assert AuditEvent.objects.filter(action="reporting.report_downloaded", actor=person.user).exists()


def test_no_get_changes_anything_for_platform_staff(world):  # noqa: F811
    staff = UserFactory(platform_staff=True, is_superuser=True, email="walker@platform.nhs.example")
    assert _walk(_client(staff), _urls(world["b"])) == []


@pytest.mark.urls("tests.test_get_is_safe")
def test_the_walk_catches_a_get_that_makes_a_report_job(world):  # noqa: F811
    """The harness itself: a view that makes a job on GET is reported."""
    b = world["b"]
    problems = _walk(_client(b["membership"].user, b["centre"]), ["/unsafe/"], centre=b["centre"])
    assert any("reporting.ReportJob" in problem for problem in problems)
    assert any("wrote audit events ['delegates.exported_on_get']" in problem for problem in problems)


def unsafe_view(request):
    from django.http import HttpResponse

    from centres.audit import audit_record

    report_job_create(
        centre=request.centre,
        requested_by=request.user,
        kind="delegates",
        title="Made by a GET",
        params={},
        filename="x.xlsx",
        access={"permissions": []},
    )
    audit_record(actor=request.user, centre=request.centre, action="delegates.exported_on_get", request=request)
    return HttpResponse("made")


def _urlpatterns():
    from django.urls import include, path

    return [path("unsafe/", unsafe_view, name="unsafe"), path("", include("config.urls"))]


urlpatterns = _urlpatterns()
