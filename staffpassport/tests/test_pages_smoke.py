import pytest
from django.urls import reverse

from staffpassport.models import CredentialsTemplate

pytestmark = pytest.mark.django_db


def test_every_settings_page_renders(senior_client):
    default = CredentialsTemplate.objects.filter(centre=None).first()
    urls = [
        reverse("staffpassport:settings"),
        reverse("staffpassport:organisation"),
        reverse("staffpassport:contact_change", kwargs={"contact": "hr_team", "detail": "email"}),
        reverse("staffpassport:notifications"),
        reverse("staffpassport:team_email", kwargs={"team": "hr"}),
        reverse("staffpassport:team_sending", kwargs={"team": "hr"}),
        reverse("staffpassport:auto_issuance"),
        reverse("staffpassport:templates"),
        reverse("staffpassport:template_which"),
        reverse("staffpassport:template_new"),
        reverse("staffpassport:template_create", kwargs={"staff_group": "students"}),
        reverse("staffpassport:template_detail", kwargs={"template_id": default.public_id}),
        reverse("staffpassport:job_roles"),
        reverse("staffpassport:job_role_group", kwargs={"staff_group": "students"}),
        reverse("staffpassport:job_role_add", kwargs={"staff_group": "students"}),
    ]
    for url in urls:
        response = senior_client.get(url)
        assert response.status_code == 200, url
