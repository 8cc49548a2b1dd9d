"""The isolation harness extended from URLs to data (issue 11, finding 1): every form and
upload that names a person is posted, by someone at centre A, with the email of an account
that is not A's to take: a delegate of another centre, a centre manager elsewhere, a register
user, platform staff, a superuser. Each must be refused (or, on the public pages, answered as
for a new address) with nothing written: no account renamed or re-emailed, no record, role
or address added.

The last tests keep the class of break from coming back: the source may write a person's
login email or name, or create an account, only in the account-ownership module."""

import ast
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import User
from centres.bulk.columns import COLUMNS, DELEGATES_SHEET
from centres.bulk.reading import read_workbook
from centres.bulk.saving import BulkCommitError, commit
from centres.bulk.validation import validate
from centres.models import BulkUpload, Membership, RoleAssignment
from centres.ownership import EXISTING_ACCOUNT
from centres.roles import Role
from notifications.models import OutboundEmail
from referrals.tests.factories import register_build, register_person
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

DOMAIN = "victim.nhs.example"  # allow-listed at the register, so the join page accepts it
TARGETS = ["delegate elsewhere", "manager elsewhere", "register user", "platform staff", "superuser"]


@pytest.fixture
def world():
    """Centre A (the actor's), centre B elsewhere, and a register whose organisation A is."""
    a, b = CentreFactory(name="Alpha Trust"), CentreFactory(name="Bravo Secret Trust")
    register = register_build(name="Staffs DSR", slug="staffs-dsr", centres=[a], domains={a: [DOMAIN]})
    other_org = CentreFactory(name="Charlie Hidden Council")
    register_build(name="Hidden DSR", slug="hidden-dsr", centres=[other_org])
    return {
        "a": a,
        "b": b,
        "register": register,
        "other_org": other_org,
        "admin": MembershipFactory(centre=a, role=Role.ADMINISTRATOR),
        "manager": MembershipFactory(centre=a, role=Role.CENTRE_MANAGER),
        "dsr_admin": register_person(centre=a, role=Role.DSR_ADMIN),
    }


def make_target(world, kind: str) -> User:
    email = f"{kind.replace(' ', '.')}@{DOMAIN}"
    if kind == "delegate elsewhere":
        return MembershipFactory(centre=world["b"], user__email=email, user__first_name="Tess").user
    if kind == "manager elsewhere":
        return MembershipFactory(centre=world["b"], role=Role.CENTRE_MANAGER, user__email=email).user
    if kind == "register user":
        return register_person(centre=world["other_org"], role=Role.DSR_ADMIN, user__email=email)
    if kind == "platform staff":
        return UserFactory(email=email, platform_staff=True)
    return User.objects.create_superuser(email=email, password="a-long-admin-passphrase", first_name="Su")


def people_state() -> tuple:
    """Everything a person-writing path could change."""
    return (
        sorted(User.objects.values_list("pk", "email", "first_name", "last_name", "is_staff", "password")),
        sorted(Membership.objects.values_list("pk", "user_id", "centre_id", "is_active")),
        sorted(RoleAssignment.objects.filter(revoked_at__isnull=True).values_list("user_id", "centre_id", "role")),
        sorted(EmailAddress.objects.values_list("user_id", "email", "verified")),
    )


def logged_in(world, user, centre) -> Client:
    from centres.middleware import SESSION_KEY

    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[SESSION_KEY] = centre.pk
    session.save()
    return client


def assert_not_revealed(page: str, world) -> None:
    for secret in ("Bravo Secret Trust", "Charlie Hidden Council", "Hidden DSR", "platform staff", "Platform staff"):
        assert secret not in page, f"the refusal reveals {secret!r}"


def workbook_file(tmp_path, rows, name="delegates.xlsx") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = DELEGATES_SHEET
    sheet.append(COLUMNS)
    base = {"LastName": "Taken", "FirstName": "Attacker", "DelegateID": "", "JobGroupID": 1, "Active": True}
    for values in rows:
        merged = {**base, **values}
        sheet.append([merged.get(column, "") for column in COLUMNS])
    path = tmp_path / name
    book.save(path)
    return path


# -- forms and uploads by centre A's people ---------------------------------------------------


@pytest.mark.parametrize("kind", TARGETS)
def test_register_a_delegate_refuses_an_account_from_elsewhere(world, kind):
    target = make_target(world, kind)
    client = logged_in(world, world["admin"].user, world["a"])
    before = people_state()
    response = client.post(
        reverse("centres:register_delegate"),
        {
            "first_name": "Attacker",
            "last_name": "Renamed",
            "email": target.email.upper(),
            "job_group": "1",
            "has_prn": "no",
            "welcome": "now",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "belongs to an existing account" in page
    assert_not_revealed(page, world)
    assert people_state() == before


@pytest.mark.parametrize("kind", TARGETS)
def test_bulk_upload_new_row_refuses_an_account_from_elsewhere(
    world, kind, tmp_path, django_capture_on_commit_callbacks
):
    target = make_target(world, kind)
    path = workbook_file(tmp_path, [{"EmailAddress": target.email}])
    before = people_state()
    # Through the pages: the preview lists the row as an error and nothing is written.
    client = logged_in(world, world["admin"].user, world["a"])
    file = SimpleUploadedFile("delegates.xlsx", path.read_bytes(), content_type="application/octet-stream")
    with django_capture_on_commit_callbacks(execute=True):  # the worker's check (in-process here)
        client.post(reverse("centres:delegates_bulk"), {"file": file})
    upload = BulkUpload.objects.get()
    assert (upload.new, upload.updated) == (0, 0)
    # The error row names the person only as the file typed them (issue 16 item 6), never with
    # what the account holds.
    typed = {"name": "Attacker Taken", "email": target.email}
    assert upload.errors == [{"row": 2, **typed, "messages": [EXISTING_ACCOUNT]}]
    page = client.get(reverse("centres:delegates_bulk_upload", kwargs={"upload_id": upload.public_id}))
    assert_not_revealed(page.content.decode(), world)
    # And the service itself refuses to commit it.
    preview = validate(centre=world["a"], rows=read_workbook(path), uploaded_by=world["admin"].user)
    with pytest.raises(BulkCommitError):
        commit(centre=world["a"], preview=preview, uploaded_by=world["admin"].user, file_name="delegates.xlsx")
    assert people_state() == before


@pytest.mark.parametrize("kind", ["delegate elsewhere", "manager elsewhere", "register user", "platform staff"])
@pytest.mark.parametrize("change", ["email", "name"])
def test_bulk_update_row_never_renames_or_re_emails_an_account_used_elsewhere(world, kind, change, tmp_path):
    """The person also has a record at A (they joined it themselves); A may update its record
    but not the account."""
    target = make_target(world, kind)
    at_a = MembershipFactory(centre=world["a"], user=target)
    values = {
        "DelegateID": at_a.delegate_number,
        "FirstName": target.first_name,
        "LastName": target.last_name,
        "EmailAddress": target.email,
    }
    values |= {"EmailAddress": "attacker@evil.example"} if change == "email" else {"FirstName": "Renamed"}
    path = workbook_file(tmp_path, [values])
    before = people_state()
    preview = validate(centre=world["a"], rows=read_workbook(path), uploaded_by=world["manager"].user)
    assert preview.has_errors
    assert "only they can change their name or email address" in preview.errors[0].messages[0]
    with pytest.raises(BulkCommitError):
        commit(centre=world["a"], preview=preview, uploaded_by=world["manager"].user, file_name="x.xlsx")
    assert people_state() == before


def test_bulk_update_row_cannot_re_email_a_role_the_uploader_cannot_grant(world, tmp_path):
    manager = world["manager"]
    path = workbook_file(
        tmp_path,
        [
            {
                "DelegateID": manager.delegate_number,
                "FirstName": manager.user.first_name,
                "LastName": manager.user.last_name,
                "EmailAddress": "attacker@evil.example",
            }
        ],
    )
    before = people_state()
    preview = validate(centre=world["a"], rows=read_workbook(path), uploaded_by=world["admin"].user)
    assert "holds a role you cannot grant" in preview.errors[0].messages[0]
    assert people_state() == before


@pytest.mark.parametrize("kind", ["delegate elsewhere", "manager elsewhere", "register user", "platform staff"])
@pytest.mark.parametrize("change", ["email", "name"])
def test_edit_delegate_never_renames_or_re_emails_an_account_used_elsewhere(world, kind, change):
    target = make_target(world, kind)
    at_a = MembershipFactory(centre=world["a"], user=target)
    client = logged_in(world, world["manager"].user, world["a"])
    data = {
        "first_name": target.first_name,
        "last_name": target.last_name,
        "email": target.email,
        "centre_email": "",
        "job_group": str(at_a.job_group_id),
        "has_prn": "no",
        "prn": "",
    }
    data |= {"email": "attacker@evil.example"} if change == "email" else {"first_name": "Renamed"}
    edit_url = reverse("centres:delegate_edit", kwargs={"membership_id": at_a.public_id})
    form_page = client.get(edit_url).content.decode()  # name and email are shown, not offered
    assert '<input type="hidden" name="first_name"' in form_page
    assert '<input type="hidden" name="email"' in form_page
    before = people_state()
    response = client.post(edit_url, data)
    assert response.status_code == 400
    assert "only they can change their name or email address" in response.content.decode()
    assert_not_revealed(response.content.decode(), world)
    assert people_state() == before


@pytest.mark.parametrize("kind", TARGETS)
def test_register_add_user_refuses_an_account_from_elsewhere(world, kind):
    target = make_target(world, kind)
    client = logged_in(world, world["dsr_admin"], world["a"])
    before = people_state()
    response = client.post(
        reverse("referrals:user_add"),
        {
            "first_name": "Attacker",
            "last_name": "Renamed",
            "email": target.email,
            "organisation": world["a"].pk,
            "role": Role.DSR_ADMIN.value,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "belongs to an existing account" in page
    assert_not_revealed(page, world)
    assert people_state() == before


def test_my_account_changes_only_the_posters_own_name(world):
    target = make_target(world, "manager elsewhere")
    me = world["admin"]
    client = logged_in(world, me.user, world["a"])
    response = client.post(
        "/account/",
        {
            "first_name": "Own",
            "last_name": "Name",
            "email": target.email,  # not a field of the page: ignored
            "user": str(target.pk),
            "job_group": "1",
            "has_prn": "no",
            "centre_email": "",
        },
    )
    assert response.status_code == 302
    target_before = (target.email, target.first_name, target.last_name)
    target.refresh_from_db()
    me.user.refresh_from_db()
    assert (target.email, target.first_name, target.last_name) == target_before
    assert (me.user.first_name, me.user.last_name, me.user.email) == ("Own", "Name", me.user.email)


# -- the public pages: the same answer as for a new address, nothing written ------------------


@pytest.mark.parametrize("kind", TARGETS)
def test_register_join_page_writes_nothing_for_an_existing_account(world, kind):
    target = make_target(world, kind)
    before = people_state()
    response = Client().post(
        reverse("referrals:signup", kwargs={"register_slug": "staffs-dsr"}),
        {"first_name": "Attacker", "last_name": "Renamed", "email": target.email},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:signup_done", kwargs={"register_slug": "staffs-dsr"})
    assert people_state() == before


@pytest.mark.parametrize("kind", TARGETS)
def test_self_registration_writes_nothing_for_an_existing_account(world, kind):
    target = make_target(world, kind)
    before = people_state()
    response = Client().post(
        reverse("register", kwargs={"code": world["a"].code}),
        {
            "first_name": "Attacker",
            "last_name": "Renamed",
            "email": target.email,
            "job_group": "1",
            "has_prn": "no",
            "password1": "wards-and-whistles-2026",
            "password2": "wards-and-whistles-2026",
            "terms": "on",
        },
    )
    assert response.status_code == 302
    assert people_state() == before
    assert OutboundEmail.objects.filter(
        to=[target.email], template="centres/emails/registration_existing_account"
    ).exists()


# -- the old address is told about every change, and each is audited -------------------------


def test_an_email_change_by_the_centre_tells_the_old_address(world):
    delegate = MembershipFactory(centre=world["a"], user__email="old.address@alpha.example")
    client = logged_in(world, world["manager"].user, world["a"])
    response = client.post(
        reverse("centres:delegate_edit", kwargs={"membership_id": delegate.public_id}),
        {
            "first_name": delegate.user.first_name,
            "last_name": delegate.user.last_name,
            "email": "new.address@alpha.example",
            "centre_email": "",
            "job_group": "1",
            "has_prn": "no",
        },
    )
    assert response.status_code == 302
    told = OutboundEmail.objects.get(template="centres/emails/email_changed")
    assert told.to == ["old.address@alpha.example"]
    assert "new.address@alpha.example" in told.text_body
    from centres.models import AuditEvent

    assert AuditEvent.objects.filter(action="account.email_changed", target_id=str(delegate.user.public_id)).exists()


def test_a_bulk_email_change_tells_the_old_address(world, tmp_path):
    delegate = MembershipFactory(centre=world["a"], user__email="old.bulk@alpha.example")
    path = workbook_file(
        tmp_path,
        [
            {
                "DelegateID": delegate.delegate_number,
                "FirstName": delegate.user.first_name,
                "LastName": delegate.user.last_name,
                "EmailAddress": "new.bulk@alpha.example",
            }
        ],
    )
    preview = validate(centre=world["a"], rows=read_workbook(path), uploaded_by=world["manager"].user)
    assert not preview.has_errors
    commit(centre=world["a"], preview=preview, uploaded_by=world["manager"].user, file_name="x.xlsx")
    delegate.user.refresh_from_db()
    assert delegate.user.email == "new.bulk@alpha.example"
    assert OutboundEmail.objects.filter(template="centres/emails/email_changed", to=["old.bulk@alpha.example"]).exists()


# -- the class of break cannot come back --------------------------------------------------------

ROOT = Path(settings.BASE_DIR)
IDENTITY_FIELDS = {"email", "first_name", "last_name"}
ACCOUNT_CREATORS = {"user_create", "users_create_unclaimed", "create_user", "create_superuser"}
# Modules allowed to write a person's login email or name, or to create an account.
ALLOWED = {
    "centres/ownership.py": "the account-ownership rule",
    "accounts/models.py": "the User model and its manager (lower-cases the email on save)",
    "accounts/services.py": "account creation primitives, called only by centres/ownership.py",
    "centres/management/commands/seed_demo.py": "demo data loaded into an empty database",
    # The admin's add form refuses an email in use (unique), and email and name are read-only
    # on every existing account there (ADR 0016): it can only create a new account.
    "accounts/admin.py": "platform staff add a brand-new account; nothing existing is changed",
}
SKIP_PARTS = {".venv", "node_modules", "migrations", "tests", "benchmarks", ".tools", "static"}


def _source_files():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIP_PARTS & set(relative.parts) or relative.name == "conftest.py":
            continue
        yield relative.as_posix(), path


def identity_writes(source: str) -> list[tuple[int, str]]:
    """(line, what) for each write of a person's login email or name, or account creation."""
    found = []
    for node in ast.walk(ast.parse(source)):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            for item in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(item, ast.Attribute) and item.attr in IDENTITY_FIELDS:
                    found.append((node.lineno, f"assigns .{item.attr}"))
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ACCOUNT_CREATORS:
                found.append((node.lineno, f"calls {name}()"))
            if name == "setattr" and node.args:
                subject = ast.unparse(node.args[0])
                field = node.args[1] if len(node.args) > 1 else None
                if "user" in subject.lower() or (isinstance(field, ast.Constant) and field.value in IDENTITY_FIELDS):
                    found.append((node.lineno, f"setattr on {subject}"))
            if name in {"update", "bulk_update", "_bulk_update"}:
                words = {keyword.arg for keyword in node.keywords} | {
                    element.value
                    for argument in node.args
                    for element in ast.walk(argument)
                    if isinstance(element, ast.Constant) and isinstance(element.value, str)
                }
                if words & IDENTITY_FIELDS:
                    found.append((node.lineno, f"{name}() of {sorted(words & IDENTITY_FIELDS)}"))
    return found


def test_only_the_ownership_module_writes_a_persons_email_or_name():
    offenders = []
    for relative, path in _source_files():
        if relative in ALLOWED:
            continue
        for line, what in identity_writes(path.read_text()):
            offenders.append(f"{relative}:{line} {what}")
    assert not offenders, (
        "A person's login email or name is written, or an account created, outside centres/ownership.py. "
        "Go through its functions (they enforce the account-ownership rule):\n" + "\n".join(offenders)
    )


def test_the_check_catches_the_old_breaks():
    """The checker finds each way the old code wrote accounts (so it cannot pass vacuously)."""
    old_code = """
user.first_name, user.last_name = data["first_name"], data["last_name"]
user.email = data["email"]
setattr(user, name, data[name])
_bulk_update(users, ["first_name", "last_name"])
User.objects.filter(pk=1).update(email="x@example.com")
user = user_create(email=email, first_name=first_name, last_name=last_name)
"""
    found = identity_writes(old_code)
    assert sorted({line for line, _what in found}) == [2, 3, 4, 5, 6, 7]
    assert re.search(r"calls user_create", " ".join(what for _line, what in found))


def test_only_the_ownership_module_creates_accounts_in_the_allowed_list():
    """The allowed list stays small: account creation primitives have one caller."""
    callers = []
    for relative, path in _source_files():
        if relative in {"accounts/services.py", "accounts/models.py"}:
            continue
        if any(what.startswith("calls") for _line, what in identity_writes(path.read_text())):
            callers.append(relative)
    allowed_creators = {"centres/ownership.py", "centres/management/commands/seed_demo.py", "accounts/admin.py"}
    assert set(callers) <= allowed_creators, callers
