"""S6 job roles: add with the three next steps, rename, delete (saying which templates go)."""

import pytest
from django.urls import reverse

from centres.models import AuditEvent
from staffpassport.models import CredentialsTemplate, JobRole, StaffGroup, StaffMember
from staffpassport.selectors.settings import staff_groups_with_role_counts
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db
NURSING = "nursing-midwifery-registered"
ADD_URL = reverse("staffpassport:job_role_add", kwargs={"staff_group": NURSING})
GROUP_URL = reverse("staffpassport:job_role_group", kwargs={"staff_group": NURSING})


def test_create_and_go_to_a_template_with_the_role_preselected(senior_client, trust):
    response = senior_client.post(ADD_URL, {"name": "  Theatre   nurse ", "next_step": "template"})
    role = JobRole.objects.for_centre(trust).get()
    assert role.name == "Theatre nurse"
    create_url = reverse("staffpassport:template_create", kwargs={"staff_group": NURSING})
    assert response["Location"] == f"{create_url}?job_role={role.public_id}"
    page = senior_client.get(response["Location"]).content.decode()
    assert f'value="{role.public_id}" selected' in page
    assert AuditEvent.objects.filter(centre=trust, action="staffpassport.job_role_created").count() == 1


def test_create_and_go_back_or_cancel(senior_client, trust):
    response = senior_client.post(ADD_URL, {"name": "Midwife", "next_step": "list"}, follow=True)
    assert response.redirect_chain[-1][0] == GROUP_URL
    page = response.content.decode()
    assert "Job role “Midwife” created" in page
    assert "Midwife" in page
    response = senior_client.post(ADD_URL, {"name": "", "next_step": "cancel"})
    assert response["Location"] == GROUP_URL
    assert JobRole.objects.for_centre(trust).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "next_step": "list"}, "Enter the job role name"),
        ({"name": "Nurse", "next_step": ""}, "Select what you want to do next"),
        ({"name": "<script>", "next_step": "list"}, "cannot include"),
        ({"name": "x" * 101, "next_step": "list"}, "100 characters or fewer"),
    ],
)
def test_bad_job_role_input_writes_nothing(senior_client, trust, data, message):
    response = senior_client.post(ADD_URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not JobRole.objects.for_centre(trust).exists()


def test_same_name_twice_in_a_group_is_refused(senior_client, trust):
    senior_client.post(ADD_URL, {"name": "Midwife", "next_step": "list"})
    response = senior_client.post(ADD_URL, {"name": "MIDWIFE", "next_step": "list"})
    assert response.status_code == 400
    assert "already has a job role called “MIDWIFE”" in response.content.decode()
    # The same name in another group, or at another trust, is fine.
    senior_client.post(
        reverse("staffpassport:job_role_add", kwargs={"staff_group": "students"}),
        {"name": "Midwife", "next_step": "list"},
    )
    assert JobRole.objects.for_centre(trust).count() == 2


def test_double_submit_creates_one_role(senior_client, trust):
    token = "a" * 32
    data = {"name": "Midwife", "next_step": "list", "submission_token": token}
    senior_client.post(ADD_URL, data)
    senior_client.post(ADD_URL, data)
    assert JobRole.objects.for_centre(trust).count() == 1


def test_rename(senior_client, trust):
    role = JobRole.objects.create(centre=trust, staff_group=StaffGroup.objects.get(code=NURSING), name="Midwfe")
    url = reverse("staffpassport:job_role_edit", kwargs={"job_role_id": role.public_id})
    response = senior_client.post(url, {"name": "Midwife"}, follow=True)
    assert "Job role “Midwfe” renamed to “Midwife”" in response.content.decode()
    role.refresh_from_db()
    assert role.name == "Midwife"


def test_delete_a_role_a_template_uses_says_which_templates_go(senior_client, trust):
    group = StaffGroup.objects.get(code=NURSING)
    role = JobRole.objects.create(centre=trust, staff_group=group, name="Theatre nurse")
    CredentialsTemplate.objects.create(
        centre=trust, name="Theatre nurses", staff_group=group, employment_types="both", job_role=role
    )
    kept = CredentialsTemplate.objects.create(
        centre=trust, name="All nurses", staff_group=group, employment_types="both"
    )
    member = StaffMember.objects.create(
        centre=trust,
        esr_assignment_number="1",
        first_name="Ada",
        last_name="Nurse",
        staff_group=group,
        job_role=role,
        employment_type="current",
    )
    url = reverse("staffpassport:job_role_delete", kwargs={"job_role_id": role.public_id})
    page = senior_client.get(url).content.decode()
    assert "1 template uses this job role" in page
    assert "Theatre nurses" in page
    assert "Delete job role and 1 template" in page
    response = senior_client.post(url, follow=True)
    assert "Templates deleted with it: Theatre nurses" in response.content.decode()
    assert list(CredentialsTemplate.objects.for_centre(trust)) == [kept]
    member.refresh_from_db()
    assert member.job_role is None
    assert member.staff_group == group


def test_another_trusts_role_is_404(senior_client):
    other = JobRole.objects.create(centre=CentreFactory(), staff_group=StaffGroup.objects.get(code=NURSING), name="X")
    for name in ("staffpassport:job_role_edit", "staffpassport:job_role_delete"):
        url = reverse(name, kwargs={"job_role_id": other.public_id})
        assert senior_client.get(url).status_code == 404
        assert senior_client.post(url, {"name": "Hacked"}).status_code == 404
    other.refresh_from_db()
    assert other.name == "X"


def test_groups_page_counts_only_this_trusts_roles(senior_client, trust):
    group = StaffGroup.objects.get(code=NURSING)
    JobRole.objects.create(centre=CentreFactory(), staff_group=group, name="Elsewhere")
    page = senior_client.get(reverse("staffpassport:job_roles")).content.decode()
    assert "Nursing and Midwifery Registered" in page
    assert "Elsewhere" not in page
    rows = staff_groups_with_role_counts(centre=trust)
    assert [row.job_role_count for row in rows if row.group == group] == [0]
