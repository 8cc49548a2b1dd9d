"""C1 Find your centre (public), C12 job groups and C15 help."""

import pytest
from django.urls import reverse

from centres import help_sections
from centres.models import RegistrationPrompt
from centres.roles import Role
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("directory:list")

PRIVATE = {
    "ip_prefixes": ["10.123.45."],
    "notify_email": "notify@private-inbox.example",
    "support_details": "Ring Private Desk 4455",
    "email": "contact@private-contact.example",
    "telephone": "07700 900999",
    "manager_name": "Margaret Privatename",
}


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def leeds(db):
    return CentreFactory(
        code="LTHT",
        name="Leeds Teaching Hospitals NHS Trust",
        postcode="LS9 7TF",
        public_telephone="0113 243 3144",
        public_email="learning@leeds.nhs.example",
        opening_hours="Monday to Friday, 9am to 5pm",
        web_address="https://www.leedsth.nhs.example",
        areas_covered="Leeds\nWakefield",
        training_venues="St James's University Hospital",
        **PRIVATE,
    )


@pytest.fixture
def stafford(db):
    return CentreFactory(code="MPFT", name="Midlands Partnership NHS Foundation Trust", postcode="ST16 3SR")


def test_lists_active_listed_centres_with_public_details(client, leeds, stafford):
    CentreFactory(name="Hidden Hospital", show_in_directory=False)
    CentreFactory(name="Closed Clinic", is_active=False)
    response = client.get(LIST)
    assert response.status_code == 200
    page = body(response)
    assert "Leeds Teaching Hospitals NHS Trust" in page
    assert "Midlands Partnership NHS Foundation Trust" in page
    for public in (
        "0113 243 3144",
        "learning@leeds.nhs.example",
        "LS9 7TF",
        "Monday to Friday, 9am to 5pm",
        "https://www.leedsth.nhs.example",
        "Leeds<br>Wakefield",
        "St James&#39;s University Hospital",
    ):
        assert public in page, public
    assert "Hidden Hospital" not in page
    assert "Closed Clinic" not in page
    assert "All centres (2)" in page
    assert f'href="{reverse("directory:detail", kwargs={"code": "LTHT"})}"' in page


def _assert_no_private_data(page: str) -> None:
    for value in (
        "10.123.45.",
        "notify@private-inbox.example",
        "Private Desk",
        "private-contact.example",
        "07700 900999",
        "Privatename",
    ):
        assert value not in page, value


def test_private_fields_and_delegate_data_never_appear(client, leeds):
    member = MembershipFactory(
        centre=leeds, user=UserFactory(first_name="Delia", last_name="Delegatesurname"), answer1="Ward 99"
    )
    RegistrationPrompt.objects.create(centre=leeds, position=1, text="Secret prompt text")
    for url in (LIST, f"{LIST}?q=leeds", reverse("directory:detail", kwargs={"code": "LTHT"})):
        page = body(client.get(url))
        _assert_no_private_data(page)
        for delegate_value in (
            "Delegatesurname",
            member.delegate_number,
            member.user.email,
            "Ward 99",
            "Secret prompt text",
        ):
            assert delegate_value not in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("leeds", {"Leeds"}),
        ("TEACHING hosp", {"Leeds"}),
        ("LS9", {"Leeds"}),
        ("ls9 7tf", {"Leeds"}),
        ("ls97tf", {"Leeds"}),
        ("st16", {"Midlands"}),
        ("mpft", {"Midlands"}),
        ("trust", {"Leeds", "Midlands"}),
        ("Wigan", set()),
    ],
)
def test_search_by_name_or_postcode(client, leeds, stafford, query, found):
    page = body(client.get(LIST, {"q": query}))
    assert ("Leeds Teaching Hospitals" in page) == ("Leeds" in found)
    assert ("Midlands Partnership" in page) == ("Midlands" in found)
    if not found:
        assert f"No centres match “{query}”" in page
        assert "the start of the postcode" in page
    else:
        assert f"match{'es' if len(found) == 1 else ''} “{query}”" in page


def test_search_does_not_find_hidden_centres_or_private_fields(client, leeds):
    CentreFactory(name="Hidden Leeds Clinic", postcode="LS1 1AA", show_in_directory=False)
    page = body(client.get(LIST, {"q": "ls1"}))
    assert "Hidden Leeds Clinic" not in page
    assert "No centres match" in page
    # Private fields are not searched either.
    assert "No centres match" in body(client.get(LIST, {"q": "Privatename"}))
    assert "No centres match" in body(client.get(LIST, {"q": "private-inbox"}))


def test_search_text_is_escaped(client, leeds):
    page = body(client.get(LIST, {"q": "<script>alert(1)</script>"}))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_too_long_search_shows_an_error(client, leeds):
    response = client.get(LIST, {"q": "x" * 101})
    assert response.status_code == 400
    assert "Enter 100 characters or fewer" in body(response)


def test_empty_directory(client):
    CentreFactory(show_in_directory=False)
    page = body(client.get(LIST))
    assert "No centres are listed yet" in page


def test_pagination_is_in_the_database(client, django_assert_max_num_queries):
    for number in range(45):
        CentreFactory(name=f"Centre {number:02d} NHS Trust")
    with django_assert_max_num_queries(3):
        response = client.get(LIST)
    page = body(response)
    assert "Centre 00 NHS Trust" in page
    assert "Centre 19 NHS Trust" in page
    assert "Centre 20 NHS Trust" not in page
    assert "Page 1 of 3" in page
    assert "?page=2" in page
    page3 = body(client.get(LIST, {"page": 3}))
    assert "Centre 44 NHS Trust" in page3
    assert "Centre 00 NHS Trust" not in page3
    # The search is kept on the next page's link.
    assert "?q=NHS&amp;page=2" in body(client.get(LIST, {"q": "NHS"}))
    # A page number that does not exist shows the last page rather than an error.
    assert client.get(LIST, {"page": "99"}).status_code == 200
    assert client.get(LIST, {"page": "abc"}).status_code == 200


def test_detail_page(client, leeds):
    response = client.get(reverse("directory:detail", kwargs={"code": "ltht"}))
    assert response.status_code == 200
    page = body(response)
    assert "<h1>Leeds Teaching Hospitals NHS Trust</h1>" in page
    assert 'href="mailto:learning@leeds.nhs.example"' in page
    assert 'href="tel:01132433144"' in page
    _assert_no_private_data(page)


@pytest.mark.parametrize("kind", ["hidden", "inactive", "unknown"])
def test_detail_page_404(client, kind):
    if kind == "hidden":
        CentreFactory(code="HIDE", show_in_directory=False)
    elif kind == "inactive":
        CentreFactory(code="HIDE", is_active=False)
    assert client.get(reverse("directory:detail", kwargs={"code": "HIDE"})).status_code == 404


def test_unsafe_web_address_is_not_linked(client):
    CentreFactory(code="ODD", name="Odd Centre", web_address="javascript:alert(1)")
    page = body(client.get(reverse("directory:detail", kwargs={"code": "ODD"})))
    assert "javascript:" not in page


def test_footer_links_to_find_your_centre_and_help_on_the_login_page(client):
    page = body(client.get(reverse("account_login")))
    assert f'href="{LIST}"' in page
    assert 'href="/help/"' in page


# -- C12 job groups --------------------------------------------------------------------------


def test_job_groups_page_lists_36_groups_by_id(client, login_as):
    member = MembershipFactory()
    login_as(member.user, member.centre)
    response = client.get(reverse("centres:job_groups"))
    assert response.status_code == 200
    page = body(response)
    assert page.count('<tr class="nhsuk-table__row">') == 37  # the heading row and 36 groups
    assert "36 job groups" in page
    assert page.index("Nursing / midwifery") < page.index("Doctor / surgeon") < page.index("University student")


def test_job_groups_needs_a_login(client):
    assert client.get(reverse("centres:job_groups")).status_code == 302


# -- C15 help --------------------------------------------------------------------------------


def test_anonymous_help_shows_learner_and_find_your_centre_only(client):
    response = client.get("/help/")
    assert response.status_code == 200
    page = body(response)
    assert "Help for learners" in page
    assert 'id="find-your-centre"' in page
    assert "Help for centre managers" not in page
    assert "delegate number" in page


def test_centre_manager_sees_their_help_first(client, login_as, centre, role_member):
    member = role_member(centre, Role.CENTRE_MANAGER)
    login_as(member.user, centre)
    page = body(client.get("/help/"))
    assert page.index('id="centre-manager"') < page.index('id="learner"') < page.index('id="assessor"')
    assert "Help for other roles" in page


def test_help_section_order():
    yours, others = help_sections.sections_for(
        authenticated=True, roles={Role.ASSESSOR, Role.ADMINISTRATOR}, is_learner=True, is_platform_staff=False
    )
    assert [s.slug for s in yours] == ["administrator", "assessor", "learner"]
    yours, _ = help_sections.sections_for(
        authenticated=True, roles={Role.CENTRE_MANAGER}, is_learner=True, is_platform_staff=False
    )
    assert [s.slug for s in yours] == ["centre-manager", "administrator", "learner"]
    assert {s.slug for s in others} == {"educator", "centre-manager", "platform-staff", "find-your-centre"}
    yours, _ = help_sections.sections_for(authenticated=True, roles=set(), is_learner=False, is_platform_staff=True)
    assert [s.slug for s in yours] == ["platform-staff"]
    yours, others = help_sections.sections_for(
        authenticated=False, roles=set(), is_learner=False, is_platform_staff=False
    )
    assert [s.slug for s in yours] == ["learner", "find-your-centre"]
    assert others == []
