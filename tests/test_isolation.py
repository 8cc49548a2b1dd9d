"""X1: no role at centre A can reach centre B's data through any URL of the project.

Walks every URL pattern (tests/tenancy.py) and requests it with GET and POST as each role of
centre A, filling every object argument with centre B's ids and posting B's ids as form
values. Responses must not contain B's data; object URLs must refuse, and answer exactly as
they do for an id that names nothing (so B's objects cannot even be shown to exist).
"""

import itertools
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import timezone

from centres.middleware import SESSION_KEY
from centres.models import AuditEvent, BulkUpload, Membership, RegistrationPrompt, RoleAssignment
from centres.roles import Role
from centres.services.memberships import membership_create
from conftest import ALL_ROLES
from notifications.models import SystemNotice
from passports.models import FrameworkVersion
from passports.tests.factories import framework_version_build
from reporting.services import report_job_create
from support.services import support_ticket_raise, support_ticket_reply_from_centre
from tests.factories import CentreFactory, MembershipFactory, UserFactory
from tests.isolation_elearning_invitations import elearning_invitations_world
from tests.isolation_elearning_modules import elearning_modules_world
from tests.isolation_elearning_sites import elearning_sites_world
from tests.isolation_staffpassport import staffpassport_settings_world
from tests.isolation_staffpassport_esr import staffpassport_esr_world
from tests.isolation_staffpassport_vc import staffpassport_vc_world
from tests.tenancy import EXCLUDED_NAMES, NON_OBJECT_KWARGS, OBJECT_KWARGS, SECRET_VALUES, iter_routes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    centre_a = CentreFactory(code="ALPHA", name="Alpha Community Trust")
    # B's private configuration must never reach A. B stays out of the public "Find your
    # centre" directory here (the directory shows a listed centre's name by design; its own
    # tests, centres/tests/test_directory.py, check that private fields never appear).
    centre_b = CentreFactory(
        code="BRAVO",
        name="Bravo Secret Hospital",
        show_in_directory=False,
        notify_email="notify@bravo-secret.example",
        support_details="Ring the Zanzibar desk",
        public_email="public@bravo-secret.example",
        ip_prefixes=["10.99."],
    )
    a_members = {role: MembershipFactory(centre=centre_a, role=role) for role in ALL_ROLES}
    b_members = [
        MembershipFactory(
            centre=centre_b,
            role=role,
            user=UserFactory(
                first_name="Bravissima", last_name=f"Zanzibar{index}", email=f"b{index}@bravo-secret.example"
            ),
        )
        for index, role in enumerate(ALL_ROLES)
    ]
    # Someone with an unapproved registration at B, for the approval counts.
    waiting = UserFactory(first_name="Bravissima", last_name="Waiting", email="waiting@bravo-secret.example")
    membership_create(user=waiting, centre=centre_b, registration_type="self", is_approved=False)
    locked = MembershipFactory(
        centre=centre_b,
        user=UserFactory(first_name="Bravissima", last_name="Zanzibar-Locked", email="locked@bravo-secret.example"),
    )
    locked.user.locked_at = timezone.now()
    locked.user.save(update_fields=["locked_at"])
    prompt = RegistrationPrompt.objects.create(
        centre=centre_b, position=1, text="Which Zanzibar ward?", options=["Zanzibar East", "Zanzibar West"]
    )
    b_members[0].answer1 = "Zanzibar East"
    b_members[0].save(update_fields=["answer1"])
    b_manager = b_members[ALL_ROLES.index(Role.CENTRE_MANAGER)].user
    ticket = support_ticket_raise(
        centre=centre_b,
        raised_by=b_manager,
        subject="Bravo secret ticket about Zanzibar",
        detail="Bravo-only detail",
        category="other",
    )
    support_ticket_reply_from_centre(ticket=ticket, author=b_manager, body="Bravo secret reply")
    notice = SystemNotice.objects.create(title="Draft platform notice", body="Not published")
    unclaimed = MembershipFactory(
        centre=centre_b,
        user=UserFactory(
            first_name="Bravissima",
            last_name="Zanzibar-Unclaimed",
            email="unclaimed@bravo-secret.example",
            unclaimed=True,
        ),
    )
    b = {
        "centre": centre_b,
        "prompt": prompt,
        "support_ticket": ticket,
        "notice": notice,
        "report_job": report_job_create(
            centre=centre_b,
            requested_by=b_manager,
            kind="delegates",
            title="Delegates",
            params={},
            filename="bravo-secret.xlsx",
            access={"permissions": ["centres.manage_delegates"]},
        ),
        "bulk_upload": BulkUpload.objects.create(
            centre=centre_b,
            uploaded_by=b_manager,
            file_name="bravo-secret-zanzibar.xlsx",
            status=BulkUpload.Status.PREVIEW,
            rows=1,
            new=1,
        ),
        "locked_membership": locked,
        "assignment": RoleAssignment.objects.for_centre(centre_b).filter(revoked_at__isnull=True).first(),
        "unclaimed_membership": unclaimed,
        "membership": b_members[0],
        "user": b_members[0].user,
        "membership_content_type": ContentType.objects.get_for_model(Membership),
    }
    # P1: a platform framework (not centre data): its pages must turn every centre role away.
    b["framework_version"] = framework_version_build(name="Platform framework", status=FrameworkVersion.Status.DRAFT)
    # P9/P10: B's learner, enrolled and signed off, with a certificate.
    b["signed_off_enrolment"] = passport_world_b(centre_b, b_members[0], b_members[ALL_ROLES.index(Role.EDUCATOR)])
    b.update(p7_world(centre_b, b_members))  # P7/P8 (p7-supervisor)
    secrets = [
        centre_b.name,
        "bravo-secret.example",
        "Zanzibar",
        "Bravo secret ticket",
        "Bravo-only detail",
        "Bravo secret reply",
        *(m.delegate_number for m in b_members),
    ]
    secrets += _passports_learner_world(b, b_members)  # P4/P6 learner
    _add_passport_staff_objects(b, b_members, centre_b)
    _dsr_world(b, centre_a, centre_b, b_members)  # R1-R11
    b.update(elearning_modules_world())  # E1 modules (tests/isolation_elearning_modules.py)
    secrets += staffpassport_settings_world(b)  # S2-S6 staff passport settings
    secrets += staffpassport_esr_world(b, centre_b, b_manager)  # S7 (sp-esr)
    secrets += elearning_invitations_world(b, centre_b, b_members)  # E2 invitations (el-invites)
    secrets += elearning_sites_world(b, b_members)  # E3/E4 site staff and requests (el-sites)
    secrets += staffpassport_vc_world(b, centre_b)  # S8 verifiable credentials
    return {"a_members": a_members, "b": b, "secrets": secrets, "centre_b": centre_b}


def _ghost(value: str) -> str:
    """An id of the same shape that names nothing."""
    return str(uuid.uuid4()) if len(value) == 36 and value.count("-") == 4 else "987654321"


def concrete_urls(b: dict) -> list[tuple[str, str, bool]]:
    """(url, ghost_url, names_an_object) for every route; ghost_url has ids that name
    nothing. Fails on an unregistered keyword argument."""
    urls = []
    for route in iter_routes():
        if not route.name:
            continue  # unnamed patterns are checked in test_every_route_is_named
        if route.name in EXCLUDED_NAMES:
            continue
        unknown = [k for k in route.kwarg_names if k not in OBJECT_KWARGS and k not in NON_OBJECT_KWARGS]
        assert not unknown, f"Register {unknown} (URL {route.name}) in tests/tenancy.py"
        choices = [OBJECT_KWARGS[k](b) if k in OBJECT_KWARGS else [SECRET_VALUES[k]] for k in route.kwarg_names]
        names_object = any(k in OBJECT_KWARGS for k in route.kwarg_names)
        for values in itertools.product(*choices):
            kwargs = dict(zip(route.kwarg_names, values, strict=True))
            ghost_kwargs = {k: _ghost(v) if k in OBJECT_KWARGS and k != "app_label" else v for k, v in kwargs.items()}
            try:
                url = reverse(route.name, kwargs=kwargs)
                ghost_url = reverse(route.name, kwargs=ghost_kwargs)
            except NoReverseMatch:
                continue  # e.g. admin's app_list for an app label it does not register
            urls.append((url, ghost_url, names_object))
    return sorted(set(urls))


def test_every_route_is_named():
    """Unnamed patterns cannot be requested by the walk. Only the admin's own redirects
    (object_id -> change page, and its catch-all) are unnamed; the admin checks staff."""
    unnamed = [route for route in iter_routes() if not route.name and not route.in_admin]
    assert unnamed == [], "Give every URL pattern a name so the isolation test can request it"


def test_routes_are_enumerated(world):
    urls = [url for url, _, _ in concrete_urls(world["b"])]
    assert "/" in urls
    assert "/centre/audit/" in urls
    assert "/choose-centre/" in urls
    assert f"/centre/support/{world['b']['support_ticket'].public_id}/" in urls
    assert "/platform/support/" in urls
    assert "/account/" in urls
    assert any(url.startswith("/admin/centres/membership/") for url in urls)


def _client_for(membership: Membership, centre, client: Client | None = None) -> Client:
    client = client or Client()
    client.force_login(membership.user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[SESSION_KEY] = centre.pk
    session.save()
    return client


def _post_data(b: dict) -> dict:
    return {
        "centre": str(b["centre"].public_id),
        "membership": str(b["membership"].public_id),
        "user": str(b["user"].public_id),
        "login": b["user"].email,
        "password": "x",
        "email": b["user"].email,
    }


def _b_data_in(response, secrets) -> list[str]:
    body = response.content.decode(errors="replace")
    return [secret for secret in secrets if secret in body]


def isolation_problems(member: Membership, world: dict) -> tuple[list[str], int]:
    """Request every URL as `member` with B's ids; return (problems, requests made)."""
    b = world["b"]
    problems = []
    requests = 0
    client = _client_for(member, member.centre)
    ghost = _client_for(member, member.centre)
    for url, ghost_url, names_object in concrete_urls(b):
        for method in ("get", "post"):
            for each in (client, ghost):
                if each.session.get(SESSION_KEY) != member.centre.pk:  # a request may have changed it
                    _client_for(member, member.centre, each)
            response = client.get(url) if method == "get" else client.post(url, _post_data(b))
            requests += 1
            context = f"{method.upper()} {url}"
            if response.status_code == 500:
                problems.append(f"{context}: server error")
            if "default-src 'self'" not in response.get("Content-Security-Policy", ""):
                problems.append(f"{context}: no Content-Security-Policy (ADR 0030)")
            if names_object:
                # No access, and the answer must not reveal that B's object exists: it is the
                # same as for an id that names nothing (404, or a refusal that ignores the id).
                ghost_response = ghost.get(ghost_url) if method == "get" else ghost.post(ghost_url, _post_data(b))
                if response.status_code not in (302, 403, 404, 405):
                    problems.append(f"{context}: gave {response.status_code} for a centre B id")
                elif response.status_code != ghost_response.status_code:
                    problems.append(
                        f"{context}: gave {response.status_code} but {ghost_response.status_code} for an id that "
                        "names nothing, which reveals that centre B's object exists"
                    )
            # Echoing back what the client itself posted (e.g. an email typed into a form) is
            # not a leak; anything else of B's is.
            posted = _post_data(b).values() if method == "post" else ()
            leaked = [
                secret for secret in _b_data_in(response, world["secrets"]) if not any(secret in v for v in posted)
            ]
            if leaked:
                problems.append(f"{context}: shows centre B data {leaked}")
    return problems, requests


@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda role: role.value if role else "learner")
def test_centre_a_roles_cannot_reach_centre_b(world, role):
    problems, requests = isolation_problems(world["a_members"][role], world)
    assert problems == []
    assert requests > 40
    locked_user = world["b"]["locked_membership"].user
    locked_user.refresh_from_db()
    assert locked_user.is_locked, "a centre A role unlocked a centre B account"
    assert RegistrationPrompt.objects.filter(pk=world["b"]["prompt"].pk).exists(), "a centre A role removed B's prompt"
    world["b"]["membership"].refresh_from_db()
    assert world["b"]["membership"].answer1 == "Zanzibar East", "a centre A role cleared B's answers"
    world["centre_b"].refresh_from_db()
    assert world["centre_b"].notify_email == "notify@bravo-secret.example", "a centre A role changed B's configuration"
    b_records = Membership.objects.for_centre(world["centre_b"])
    assert b_records.filter(pk=world["b"]["unclaimed_membership"].pk).exists(), "a centre A role deleted a B record"
    assert not b_records.filter(is_active=False).exists(), "a centre A role deactivated a centre B record"
    changes = AuditEvent.objects.filter(centre=world["centre_b"], action__startswith="membership.")
    assert not changes.exclude(action="membership.created").exists(), "a centre A role changed a centre B record"


def leaky_view(request):
    """A view that forgets the centre: lists every membership on the platform."""
    from django.http import HttpResponse

    return HttpResponse(", ".join(m.delegate_number for m in Membership.objects.all()))


urlpatterns = [path("leaky/", leaky_view, name="leaky"), path("", include("config.urls"))]


@pytest.mark.urls("tests.test_isolation")
def test_harness_catches_a_view_that_forgets_the_centre(world):
    problems, _ = isolation_problems(world["a_members"][None], world)
    assert any(problem.startswith("GET /leaky/: shows centre B data") for problem in problems)


@pytest.mark.parametrize("role", [Role.CENTRE_MANAGER, None], ids=["centre_manager", "learner"])
def test_forged_current_centre_in_session_is_ignored(world, role):
    """A session pointing at centre B (where the person has no record) is dropped."""
    member = world["a_members"][role]
    client = _client_for(member, world["centre_b"])
    for url in ("/", "/centre/audit/", "/choose-centre/"):
        response = client.get(url, follow=True)
        assert _b_data_in(response, world["secrets"]) == [], f"forged session GET {url}"
    assert client.session.get(SESSION_KEY) != world["centre_b"].pk


def _passports_learner_world(b: dict, b_members: list[Membership]) -> list[str]:
    """P4/P6: a centre B learner's enrolment with a self-assessed result and an open
    confirmation request; returns the strings that must not reach centre A."""
    from passports.services.assessment import result_assess
    from passports.services.confirmation import confirmation_request_create
    from passports.tests.factories import enrolment_build, framework_version_build

    learner = b_members[0]
    educator = b_members[ALL_ROLES.index(Role.EDUCATOR)]
    version = framework_version_build(name="Zanzibar secret framework", sections=1, per_section=2)
    enrolment = enrolment_build(centre=b["centre"], version=version, learner=learner, educator=educator)
    result = enrolment.results.order_by("proficiency__position").first()
    result_assess(result=result, answer="achieved", action_plan="Zanzibar learner note", actor=learner.user)
    request = confirmation_request_create(
        enrolment=enrolment, supervisor=educator.user, results=[result], actor=learner.user
    )
    b["learner_enrolment"] = enrolment
    b.setdefault("confirmation_request", request)
    return ["Zanzibar secret framework", "Zanzibar learner note"]


def _add_passport_staff_objects(b: dict, b_members: list, centre_b) -> None:
    """P2/P3/P5 (p2-staff-enrol): B's educator has B's learner on their staff list and has
    enrolled them on a framework."""
    from passports.services.enrolment import enrolment_create
    from passports.services.staff import staff_entries_add
    from passports.tests.factories import framework_version_build

    b_educator = b_members[ALL_ROLES.index(Role.EDUCATOR)].user
    b_learner = b_members[0]
    b["staff_entry"] = staff_entries_add(centre=centre_b, educator=b_educator, emails_text=b_learner.user.email).added[
        0
    ]
    b["enrolment"] = enrolment_create(
        centre=centre_b,
        membership=b_learner,
        framework=framework_version_build(sections=1, per_section=2).framework,
        complete_by=None,
        enrolled_by=b_educator,
    )
    b["enrolment_supervisor"] = b_educator


def passport_world_b(centre_b, learner, educator):
    """A signed-off enrolment at centre B with a certificate (P9 record and certificate URLs)."""
    from passports.models import Certificate, SignOff
    from passports.tests.factories import enrolment_build, framework_version_build

    enrolment = enrolment_build(
        centre=centre_b,
        version=framework_version_build(name="Bravo Zanzibar framework"),
        learner=learner,
        educator=educator,
    )
    now = timezone.now()
    sign_off = SignOff.objects.create(
        centre=centre_b, enrolment=enrolment, educator=educator.user, status=SignOff.Status.SIGNED_OFF, decided_at=now
    )
    enrolment.signed_off_at = now
    enrolment.save(update_fields=["signed_off_at"])
    Certificate.objects.create(centre=centre_b, enrolment=enrolment, sign_off=sign_off, code="BRAV-OZAN-ZIBR")
    return enrolment


def p7_world(centre_b, b_members) -> dict:
    """P7/P8 (p7-supervisor): a B learner's enrolment with an open confirmation request to B's
    assessor and an open sign-off request to B's educator."""
    from passports.models import ConfirmationItem, ConfirmationRequest, SignOff, Supervisor
    from passports.tests.factories import enrolment_build, framework_version_build

    educator = b_members[ALL_ROLES.index(Role.EDUCATOR)]
    assessor = b_members[ALL_ROLES.index(Role.ASSESSOR)]
    enrolment = enrolment_build(
        centre=centre_b,
        version=framework_version_build(sections=1, per_section=2),
        learner=b_members[0],
        educator=educator,
    )
    Supervisor.objects.create(centre=centre_b, enrolment=enrolment, user=assessor.user, added_by=b_members[0].user)
    request = ConfirmationRequest.objects.create(
        centre=centre_b, enrolment=enrolment, supervisor=assessor.user, last_sent_at=timezone.now()
    )
    for result in enrolment.results.all():
        result.answer, result.status = "achieved", "requested"
        result.save()
        ConfirmationItem.objects.create(centre=centre_b, request=request, result=result)
    sign_off = SignOff.objects.create(centre=centre_b, enrolment=enrolment, educator=educator.user)
    return {"p7_enrolment": enrolment, "p7_confirmation_request": request, "p7_sign_off": sign_off}


def _dsr_world(b: dict, centre_a, centre_b, b_members: list[Membership]) -> None:
    """R1-R11: A and B are in different registers. B's referral (with a note and an outcome),
    an extra question, and B's register users; A's register roles must reach none of them."""
    from referrals.models import ExtraQuestion, Outcome, ReferralNote
    from referrals.tests.factories import ReferralFactory, register_build

    register_build(name="Alpha DSR", slug="alpha-dsr", centres=[centre_a])
    bravo = register_build(
        name="Bravo DSR", slug="bravo-dsr", centres=[centre_b], team_inbox="dsr@bravo-secret.example"
    )
    b_admin = b_members[ALL_ROLES.index(Role.DSR_ADMIN)].user
    referral = ReferralFactory(
        centre=centre_b,
        created_by=b_admin,
        first_name="Bravissima",
        last_name="Zanzibar-Referral",
        latest_update="Zanzibar meeting update",
    )
    ReferralNote.objects.create(centre=centre_b, referral=referral, author=b_admin, body="Zanzibar note")
    Outcome.objects.create(
        centre=centre_b,
        referral=referral,
        recorded_by=b_admin,
        cetr_requested=True,
        laep_requested=False,
        meeting_happened=False,
        why_not_happened="Zanzibar reason",
    )
    archived = ReferralFactory(
        centre=centre_b,
        created_by=b_admin,
        first_name="Bravissima",
        last_name="Zanzibar-Archived",
        archived_at=timezone.now(),
        archived_by=b_admin,
    )
    b["referral"] = referral
    b["archived_referral"] = archived
    b["extra_question"] = ExtraQuestion.objects.create(register=bravo, text="Zanzibar question?")
    b["register_user"] = b_admin


# -- Issue 16 items 8 and 12 (helper G, branch dsrroles): new URLs in the walk ------------------


def test_dsr_record_edit_and_enrolment_list_are_walked(world):
    """The record's edit page (B's referrals) and the administrators' enrolment list are
    requested by the walk above as every centre A role."""
    urls = [url for url, _, _ in concrete_urls(world["b"])]
    assert f"/dsr/referrals/{world['b']['referral'].public_id}/edit/" in urls
    assert "/passports/enrolments/" in urls


# -- Issue 15 fixes (helper I, branch spfixes): the credentials expiring soon -----------------


def test_staffpassport_expiring_credentials_are_walked_and_show_only_the_trusts_own(world):
    """/staff-passport/credentials/expiring/ (no argument: walked above as every centre A role)
    lists credentials: with B's issued credential expiring in 10 days, B's senior portal
    administrator sees it and A's does not, with or without a team."""
    from datetime import timedelta

    from staffpassport.models import StaffCredential

    b = world["b"]
    assert "/staff-passport/credentials/expiring/" in [url for url, _, _ in concrete_urls(b)]
    StaffCredential.objects.filter(pk=b["vc_staff_credential"].pk).update(
        expires_on=timezone.localdate() + timedelta(days=10)
    )
    b_senior = MembershipFactory(centre=world["centre_b"], role=Role.SENIOR_PORTAL_ADMIN)
    b_page = _client_for(b_senior, world["centre_b"]).get("/staff-passport/credentials/expiring/")
    assert "Zanzibar-Credential" in b_page.content.decode()  # the check below can fail
    a_senior = world["a_members"][Role.SENIOR_PORTAL_ADMIN]
    a_client = _client_for(a_senior, a_senior.centre)
    for query in ("", "?team=hr", "?team=hr&page=2"):
        response = a_client.get("/staff-passport/credentials/expiring/" + query)
        assert response.status_code == 200
        assert _b_data_in(response, world["secrets"]) == [], query
