"""Issue 11, finding 3 (ADR 0017): pages and files with personal data are never cached.

Every response to a logged-in person, every file download and every page not listed as public
carries `Cache-Control: no-store` (with `Pragma: no-cache` and an `Expires` in the past); the
public "Find your centre" and help pages, for visitors, and static files stay cacheable. On the
old code no response said no-store: these tests failed there. tests/test_get_is_safe.py also
checks no-store on every GET of every URL pattern for a person holding every role.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from centres.models import AuditEvent
from centres.roles import Role
from passports.models import Certificate, SignOff
from passports.tests.factories import enrolment_build, framework_version_build
from reporting.services import report_job_create, report_job_run
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def assert_no_store(response, what=""):
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "no-cache", "private"} <= cache_control, (what, response.get("Cache-Control"))
    assert response["Pragma"] == "no-cache", what
    assert response.has_header("Expires"), what


def assert_cacheable(response, what=""):
    assert "no-store" not in response.get("Cache-Control", ""), what


@pytest.fixture
def centre():
    return CentreFactory(code="LTHT", show_in_directory=True)


@pytest.fixture
def manager(centre):
    return MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)


def test_a_sample_of_pages_for_a_logged_in_person(client, login_as, centre, manager):
    login_as(manager.user, centre)
    for url in ("/", "/centre/delegates/", f"/centre/delegates/{manager.public_id}/", "/centre/audit/", "/account/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_store(response, url)
    # Public pages too, once someone is logged in: the layout shows who they are.
    for url in ("/help/", "/centres/"):
        assert_no_store(client.get(url), url)
    # A refusal and a redirect are no different.
    assert_no_store(client.get("/platform/support/"), "403")
    assert_no_store(client.get(reverse("centres:delegate_export")), "redirect")


def test_public_pages_and_static_files_stay_cacheable_for_visitors(client, centre):
    for url in ("/centres/", f"/centres/{centre.code}/", "/help/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_cacheable(response, url)
    static = client.get("/static/scss/main.scss")  # tracked in git (static/src), so always there
    assert static.status_code == 200
    assert_cacheable(static, "static")


def test_pages_not_listed_as_public_are_no_store_even_for_visitors(client):
    """Fail closed: the login page, and pages reached with a secret, are not public pages."""
    for url in ("/accounts/login/", "/verify/", "/verify/NOTA-REAL-CODE/", "/register/"):
        assert_no_store(client.get(url), url)


def test_every_download_is_no_store(client, login_as, centre, manager):
    login_as(manager.user, centre)
    job = report_job_create(
        centre=centre,
        requested_by=manager.user,
        kind="delegates",
        title="Delegates",
        params={},
        filename="d.xlsx",
        access={"permissions": ["centres.manage_delegates"]},
    )
    report_job_run(job_id=job.pk)
    downloads = {
        "report file": client.get(reverse("reporting:download", kwargs={"job_id": job.public_id})),
        "bulk template": client.post(reverse("centres:delegates_bulk_template")),
    }
    # The current delegates' workbook is a report job (issue 12 finding 6): its file comes
    # through reporting:download, checked above; the button only starts the job.
    started = client.post(reverse("centres:delegates_bulk_current"))
    assert started.status_code == 302
    assert started["Location"].startswith("/reports/")
    # A learner's certificate.
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    enrolment = enrolment_build(
        centre=centre, version=framework_version_build(sections=1, per_section=1), learner=manager, educator=educator
    )
    now = timezone.now()
    sign_off = SignOff.objects.create(
        centre=centre, enrolment=enrolment, educator=educator.user, status=SignOff.Status.SIGNED_OFF, decided_at=now
    )
    enrolment.signed_off_at = now
    enrolment.save(update_fields=["signed_off_at"])
    Certificate.objects.create(centre=centre, enrolment=enrolment, sign_off=sign_off, code="ABCD-EFGH-JKLM")
    downloads["certificate"] = client.get(
        reverse("passports:record_certificate", kwargs={"enrolment_id": enrolment.public_id})
    )
    downloaded = AuditEvent.objects.get(action="passport.certificate_downloaded")
    assert (downloaded.actor, downloaded.target_id) == (manager.user, str(enrolment.public_id))
    # Platform staff's framework download (platform data, but a file all the same).
    staff = UserFactory(platform_staff=True)
    login_as(staff)
    version = framework_version_build(name="IV Therapy")
    framework_url = reverse("frameworks:version_download", kwargs={"version_id": version.public_id})
    downloads["framework"] = client.get(framework_url)
    for what, response in downloads.items():
        assert response.status_code == 200, what
        assert response["Content-Disposition"].startswith("attachment"), what
        assert_no_store(response, what)


def test_an_attachment_is_no_store_whoever_asks(rf):
    """The rule for files does not depend on who is logged in."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.urls import resolve

    from config.middleware import NoStoreMiddleware

    def attachment(request):
        response = HttpResponse(b"data")
        response["Content-Disposition"] = 'attachment; filename="x.xlsx"'
        return response

    request = rf.get("/help/")
    request.user = AnonymousUser()
    request.resolver_match = resolve("/help/")  # a public page, for a visitor...
    assert_cacheable(NoStoreMiddleware(lambda request: HttpResponse(b"page"))(request))
    assert_no_store(NoStoreMiddleware(attachment)(request))  # ...but a file never is
