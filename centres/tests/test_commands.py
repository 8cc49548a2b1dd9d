"""Operations commands: create_centre and seed_demo (every demo login reaches its dashboard)."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import User
from centres.management.commands.seed_demo import CENTRES, DEMO_PASSWORD, PLATFORM_STAFF_EMAIL
from centres.models import Centre, JobGroup, Membership, RoleAssignment
from centres.roles import Role

pytestmark = pytest.mark.django_db


def test_create_centre_command(capsys):
    call_command(
        "create_centre", "--code", "sth", "--name", "Sheffield Teaching Hospitals", "--ip-prefix", "10.1.,10.2."
    )
    centre = Centre.objects.get(code="STH")
    assert centre.ip_prefixes == ["10.1.", "10.2."]
    assert "Created centre Sheffield Teaching Hospitals (STH)" in capsys.readouterr().out


def test_create_centre_command_reports_bad_input_clearly():
    call_command("create_centre", "--code", "STH", "--name", "Sheffield")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_centre", "--code", "sth", "--name", "Sheffield again")
    assert Centre.objects.count() == 1


def test_job_groups_are_loaded_with_their_ids():
    assert JobGroup.objects.count() == 36
    assert JobGroup.objects.get(pk=1).name == "Nursing / midwifery"
    assert JobGroup.objects.get(pk=39).name == "Safeguarding and/or reviewing officer"
    assert not JobGroup.objects.filter(pk__in=[11, 12, 35]).exists()


def test_seed_demo_gives_every_role_at_both_centres_and_is_idempotent(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "Demo data is already loaded." in out
    assert PLATFORM_STAFF_EMAIL in out
    for spec in CENTRES:
        centre = Centre.objects.get(code=spec["code"])
        roles = set(RoleAssignment.objects.for_centre(centre).values_list("role", flat=True))
        assert roles == {role.value for role in Role}
        assert Membership.objects.for_centre(centre).filter(is_approved=False).count() == 1


@pytest.mark.parametrize("spec_index", [0, 1])
def test_every_demo_login_reaches_its_dashboard(spec_index):
    call_command("seed_demo")
    spec = CENTRES[spec_index]
    for role, first_name, last_name, _ in spec["people"]:
        client = Client()
        email = f"{first_name}.{last_name}@{spec['domain']}".lower()
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        response = client.get("/", follow=True)
        if response.redirect_chain and response.redirect_chain[-1][0] == "/choose-centre/":
            centre = Centre.objects.get(code=spec["code"])
            response = client.post("/choose-centre/", {"centre": str(centre.public_id)}, follow=True)
        content = response.content.decode()
        assert response.status_code == 200, email
        assert f"Welcome, {first_name}" in content, email
        assert spec["name"] in content, email
        assert (role.label if role else "Learner") in content, email


def test_platform_staff_demo_login_reaches_admin():
    call_command("seed_demo")
    client = Client()
    client.post("/accounts/login/", {"login": PLATFORM_STAFF_EMAIL, "password": DEMO_PASSWORD})
    assert "platform admin" in client.get("/").content.decode().lower()
    assert client.get("/admin/").status_code == 200
    staff = User.objects.get(email=PLATFORM_STAFF_EMAIL)
    assert staff.is_staff
    # Issue 11, finding 4: staff with the platform group's permissions, not a superuser; the
    # README's platform pages and admin lists still open.
    assert not staff.is_superuser
    for url in (
        "/admin/centres/centre/",
        "/admin/centres/centre/add/",
        "/admin/accounts/user/",
        "/admin/notifications/outboundemail/",
        "/admin/referrals/register/add/",
        "/admin/centres/auditevent/",
        "/platform/centres/",
        "/platform/support/",
        "/platform/notices/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/auth/group/").status_code == 403
    assert client.get(f"/admin/accounts/user/{staff.pk}/password/").status_code == 403
