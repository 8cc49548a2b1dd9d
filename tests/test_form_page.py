"""One form page for every app (templates/form_page.html): no app keeps its own copy, and the
pages that had one still show their back link, error summary and form (ADR 0044)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from centres.roles import Role
from referrals.tests.factories import register_build, register_person
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_no_app_keeps_its_own_form_page():
    root = Path(settings.BASE_DIR)
    copies = [
        path for path in root.glob("*/jinja2/**/*form_page.html") if not {".venv", "node_modules"} & set(path.parts)
    ]
    assert copies == []
    assert (root / "templates" / "form_page.html").exists()


def _back_link(body: str, href: str, text: str) -> None:
    assert 'class="nhsuk-back-link"' in body
    back = body[body.index('class="nhsuk-back-link"') :]
    assert f'href="{href}"' in back[:300]
    assert text in back[:600]


def test_a_centre_configuration_form_page(client, login_as):
    centre = CentreFactory()
    login_as(MembershipFactory(centre=centre, role=Role.ADMINISTRATOR).user, centre)
    url = reverse("centres:configuration_notify_email")
    _back_link(client.get(url).content.decode(), reverse("centres:configuration"), "Back to centre configuration")
    invalid = client.post(url, {"notify_email": "not an email"}).content.decode()
    assert "<title>Error: " in invalid
    assert "nhsuk-error-summary" in invalid


def test_a_referral_administration_form_page(client, login_as):
    trust = CentreFactory()
    register_build(name="Staffs DSR", slug="staffs-dsr", centres=[trust])
    login_as(register_person(centre=trust, role=Role.DSR_ADMIN), trust)
    body = client.get(reverse("referrals:question_create")).content.decode()
    _back_link(body, reverse("referrals:administration"), "Back to administration")
    assert "<form" in body
    users = client.get(reverse("referrals:user_add")).content.decode()
    _back_link(users, reverse("referrals:users"), "Back to users")


def test_a_staff_passport_settings_form_page(client, login_as):
    trust = CentreFactory()
    login_as(MembershipFactory(centre=trust, role=Role.SENIOR_PORTAL_ADMIN).user, trust)
    body = client.get(reverse("staffpassport:template_new")).content.decode()
    _back_link(body, reverse("staffpassport:templates"), "Back to credentials required templates")
