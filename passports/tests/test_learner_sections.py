"""Issue 16 item 2: a section of the learner's passport answered in place (htmx and the plain
form), several proficiencies marked at once, Step 1's sections grouped by parent number, the
learner's note and the supernumerary tag and filter, one set of progress numbers, constant
queries whatever the section's size."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from centres.models import AuditEvent
from passports.demo import DATA
from passports.models import ConfirmationItem, Proficiency, Result, ResultStatus, Section
from passports.selectors.learner import Progress, SectionProgress
from passports.selectors.learner_sections import section_groups
from passports.services.assessment import result_assess, results_assess
from passports.services.confirmation import confirmation_request_create
from passports.services.errors import PassportError
from passports.services.framework_json import framework_json_parse, framework_load
from passports.tests.factories import enrolment_build, framework_version_build
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment():
    return enrolment_build(centre=CentreFactory(), version=framework_version_build(sections=3, per_section=4))


def _section(enrolment, position, query=""):
    return (
        reverse("passports:learner_section", kwargs={"enrolment_id": enrolment.public_id, "section_position": position})
        + query
    )


def _answer(enrolment, position):
    return reverse("passports:learner_answer", kwargs={"enrolment_id": enrolment.public_id, "position": position})


def _mark(enrolment, position):
    return reverse(
        "passports:learner_section_mark", kwargs={"enrolment_id": enrolment.public_id, "section_position": position}
    )


def _result(enrolment, position) -> Result:
    return enrolment.results.get(proficiency__position=position)


def _as_learner(login_as, enrolment):
    return login_as(enrolment.membership.user, enrolment.centre)


# -- the section page ------------------------------------------------------------------------


def test_section_page_lists_its_proficiencies_with_note_tag_and_next_section(login_as, enrolment):
    Proficiency.objects.filter(version=enrolment.version, position=6).update(is_supernumerary=True)
    result_assess(result=_result(enrolment, 5), answer="ongoing", action_plan="Shadow on ward 12", actor=None)
    body = _as_learner(login_as, enrolment).get(_section(enrolment, 2)).content.decode()
    assert "<h1" in body
    assert "Section 2</h1>" in body
    assert "Proficiency 2.1" in body
    assert "Proficiency 2.4" in body
    assert "Proficiency 1.1" not in body
    assert "Proficiency 3.1" not in body
    assert "My passport</span>" not in body  # the passport's header is not repeated
    assert "Your note:</strong> Shadow on ward 12" in body
    assert body.count('name="csrfmiddlewaretoken"') == 5  # each row's form and "mark selected"
    assert body.count("Supernumerary</strong>") == 1
    assert _section(enrolment, 3) in body
    assert _section(enrolment, 1) in body
    assert "<strong>0 of 4</strong> confirmed" in body
    assert "1 self-assessed" in body
    assert "3 not started" in body


def test_confirmed_and_requested_rows_are_changed_on_their_own_page(login_as, enrolment):
    Result.objects.filter(enrolment=enrolment, proficiency__position=1).update(
        status=ResultStatus.CONFIRMED, answer="achieved"
    )
    Result.objects.filter(enrolment=enrolment, proficiency__position=2).update(
        status=ResultStatus.REQUESTED, answer="achieved"
    )
    body = _as_learner(login_as, enrolment).get(_section(enrolment, 1)).content.decode()
    assert 'id="answer-1-achieved"' not in body
    assert 'id="answer-2-ongoing"' not in body
    assert 'id="select-2"' not in body
    assert 'id="answer-3-achieved"' in body
    assert body.count("To change this answer, open the proficiency.") == 2


def test_section_page_filters_supernumerary(login_as, enrolment):
    Proficiency.objects.filter(version=enrolment.version, position=6).update(is_supernumerary=True)
    client = _as_learner(login_as, enrolment)
    body = client.get(_section(enrolment, 2, "?supernumerary=1")).content.decode()
    assert "Proficiency 2.2" in body
    assert "Proficiency 2.1" not in body
    assert "Show all 4" in body
    body = client.get(_section(enrolment, 1, "?supernumerary=1")).content.decode()
    assert "No proficiency in this section is supernumerary" in body


def test_unknown_section_and_another_learner_get_404(login_as, enrolment):
    assert _as_learner(login_as, enrolment).get(_section(enrolment, 9)).status_code == 404
    other = MembershipFactory(centre=enrolment.centre)
    client = login_as(other.user, enrolment.centre)
    assert client.get(_section(enrolment, 1)).status_code == 404
    assert client.post(_answer(enrolment, 1), {"answer": "achieved"}).status_code == 404
    assert client.post(_mark(enrolment, 1), {"answer": "achieved", "positions": ["1"]}).status_code == 404
    assert _result(enrolment, 1).status == ResultStatus.NOT_ASSESSED


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_section_page_queries_do_not_grow_with_its_proficiencies(login_as):
    centre = CentreFactory()
    small = enrolment_build(centre=centre, version=framework_version_build(sections=3, per_section=2))
    big = enrolment_build(centre=centre, version=framework_version_build(sections=3, per_section=40))
    for enrolment in (small, big):
        result_assess(result=_result(enrolment, 1), answer="achieved", action_plan="Note", actor=None)
        Result.objects.filter(enrolment=enrolment, proficiency__position=2).update(
            status=ResultStatus.CONFIRMED, answer="achieved", reviewed_by=enrolment.enrolled_by
        )
    small_client = login_as(small.membership.user, centre)
    big_client = login_as(big.membership.user, centre, test_client=type(small_client)())
    for query in ("", "?supernumerary=1"):
        assert _count_queries(small_client, _section(small, 1, query)) == _count_queries(
            big_client, _section(big, 1, query)
        )


# -- answering one row in place --------------------------------------------------------------


def test_answer_without_javascript_returns_to_the_row(login_as, enrolment):
    client = _as_learner(login_as, enrolment)
    response = client.post(_answer(enrolment, 6), {"answer": "achieved"})
    assert response.status_code == 302
    assert response.url == _section(enrolment, 2) + "#proficiency-6"
    result = _result(enrolment, 6)
    assert (result.status, result.answer) == (ResultStatus.SELF_ASSESSED, "achieved")
    body = client.get(response.url).content.decode()
    assert "6. Proficiency 2.2: saved as Achieved." in body
    response = client.post(_answer(enrolment, 6), {"answer": "ongoing", "supernumerary": "1"})
    assert response.url == _section(enrolment, 2, "?supernumerary=1") + "#proficiency-6"


def test_answer_with_htmx_returns_the_row_progress_and_status(login_as, enrolment):
    result_assess(result=_result(enrolment, 6), answer="ongoing", action_plan="Kept note", actor=None)
    response = _as_learner(login_as, enrolment).post(
        _answer(enrolment, 6), {"answer": "achieved"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="proficiency-6-status"')  # the row's status, not its form
    assert "You said: Achieved" in body
    assert "Your note:</strong> Kept note" in body  # the note is kept
    assert 'id="section-progress" hx-swap-oob="innerHTML"' in body
    assert "1 self-assessed" in body
    assert "6. Proficiency 2.2: saved as Achieved." in body
    assert "<html" not in body
    assert _result(enrolment, 6).action_plan == "Kept note"


def test_bad_answer_says_so_and_writes_nothing(login_as, enrolment):
    client = _as_learner(login_as, enrolment)
    response = client.post(_answer(enrolment, 1), {"answer": "maybe"}, headers={"HX-Request": "true"})
    assert "Select Achieved or Ongoing" in response.content.decode()
    response = client.post(_answer(enrolment, 1), {"answer": ""}, follow=True)
    assert "Select Achieved or Ongoing" in response.content.decode()
    assert _result(enrolment, 1).status == ResultStatus.NOT_ASSESSED
    assert client.get(_answer(enrolment, 1)).status_code == 405


def test_locked_passport_cannot_be_answered_in_place(login_as, enrolment):
    enrolment.signed_off_at = timezone.now()
    enrolment.save(update_fields=["signed_off_at"])
    client = _as_learner(login_as, enrolment)
    body = client.get(_section(enrolment, 1)).content.decode()
    assert 'name="answer"' not in body
    assert 'id="mark-selected"' not in body
    response = client.post(_answer(enrolment, 1), {"answer": "achieved"}, follow=True)
    assert "cannot be changed" in response.content.decode()
    response = client.post(_mark(enrolment, 1), {"answer": "achieved", "positions": ["1"]}, follow=True)
    assert "cannot be changed" in response.content.decode()
    assert _result(enrolment, 1).status == ResultStatus.NOT_ASSESSED


# -- several at once -------------------------------------------------------------------------


def test_mark_several_at_once_and_a_second_submit_changes_nothing(login_as, enrolment):
    client = _as_learner(login_as, enrolment)
    data = {"answer": "achieved", "positions": ["5", "7", "1"]}  # 1 is in another section: ignored
    response = client.post(_mark(enrolment, 2), data, follow=True)
    assert "2 proficiencies marked Achieved." in response.content.decode()
    assert set(
        Result.objects.filter(enrolment=enrolment, status=ResultStatus.SELF_ASSESSED).values_list(
            "proficiency__position", flat=True
        )
    ) == {5, 7}
    history = Result.history.filter(enrolment_id=enrolment.pk).count()
    audits = AuditEvent.objects.filter(action="passport.result_assessed").count()
    response = client.post(_mark(enrolment, 2), data, follow=True)
    assert "2 already had that answer" in response.content.decode()
    assert Result.history.filter(enrolment_id=enrolment.pk).count() == history
    assert AuditEvent.objects.filter(action="passport.result_assessed").count() == audits


def test_mark_with_nothing_ticked_says_so(login_as, enrolment):
    response = _as_learner(login_as, enrolment).post(_mark(enrolment, 1), {"answer": "ongoing"}, follow=True)
    assert "Select at least one proficiency to mark" in response.content.decode()
    response = _as_learner(login_as, enrolment).post(_mark(enrolment, 1), {"positions": ["1"]}, follow=True)
    assert "Select Achieved or Ongoing" in response.content.decode()
    assert not Result.objects.filter(enrolment=enrolment).exclude(status=ResultStatus.NOT_ASSESSED).exists()


def test_marking_a_requested_one_differently_takes_it_out_of_its_request(enrolment):
    learner = enrolment.membership.user
    result = result_assess(result=_result(enrolment, 1), answer="achieved", actor=learner)
    supervisor = enrolment.supervisors.get().user
    confirmation_request_create(enrolment=enrolment, supervisor=supervisor, results=[result], actor=learner)
    assert _result(enrolment, 1).status == ResultStatus.REQUESTED
    assert results_assess(enrolment=enrolment, results=[_result(enrolment, 1)], answer="achieved", actor=learner) == 0
    assert _result(enrolment, 1).status == ResultStatus.REQUESTED  # the same answer keeps the request
    assert results_assess(enrolment=enrolment, results=[_result(enrolment, 1)], answer="ongoing", actor=learner) == 1
    assert _result(enrolment, 1).status == ResultStatus.SELF_ASSESSED
    assert ConfirmationItem.objects.get().outcome == ConfirmationItem.Outcome.WITHDRAWN
    with pytest.raises(PassportError):
        results_assess(enrolment=enrolment, results=[], answer="ongoing", actor=learner)


# -- big frameworks: grouped sections and one set of numbers ---------------------------------


def _rows(*names):
    return [SectionProgress(Section(position=index, name=name), Progress()) for index, name in enumerate(names, 1)]


def test_sections_group_by_their_parent_number():
    groups = section_groups(
        _rows(
            "Learning contract",
            "1.2.1 Respiratory system - Anatomy and physiology ",
            "1.2.2 Respiratory system - Chest drains",
            "1.12.1 Rehabilitation initial assessment and referral",
        )
    )
    assert [(group.number, group.title) for group in groups] == [
        ("", "Learning contract"),
        ("1.2", "Respiratory system"),
        ("1.12", "Rehabilitation initial assessment and referral"),
    ]
    assert [name for _, name in groups[1].rows] == ["1.2.1 Anatomy and physiology", "1.2.2 Chest drains"]
    assert section_groups(_rows("Section 1", "Section 2")) is None  # nothing shared: a plain list


def test_progress_parts_add_up():
    progress = Progress()
    for status, n in (("confirmed", 1), ("requested", 1), ("self_assessed", 1), ("rejected", 1)):
        progress.add(status, n)
    progress.add("not_assessed", 2)
    parts = progress.parts()
    assert [(part.key, part.count) for part in parts] == [
        ("confirmed", 1),
        ("requested", 1),
        ("self_assessed", 2),
        ("not_started", 2),
    ]
    assert sum(part.percent for part in parts) == 100
    assert progress.rejected == 1


def test_step1_passport_groups_sections_and_every_page_says_the_same_numbers(login_as, centre):
    rows, prerequisites = framework_json_parse(json.loads((DATA / "step1-proficiencies.json").read_text()))
    version = framework_load(name="Step 1 (test)", rows=rows, prerequisites_html=prerequisites, publish=True).version
    enrolment = enrolment_build(centre=centre, version=version)
    result_assess(result=_result(enrolment, 3), answer="achieved", actor=None)
    client = _as_learner(login_as, enrolment)
    passport = reverse("passports:learner_passport", kwargs={"enrolment_id": enrolment.public_id})
    body = client.get(passport).content.decode()
    assert '<h3 class="nhsuk-heading-s nhsuk-u-margin-top-4">1.2 Respiratory system</h3>' in body
    assert ">1.2.4 Tracheostomy care</a>" in body
    numbers = "<strong>0 of 670</strong> confirmed"
    assert numbers in body
    assert "1 self-assessed" in body
    assert "669 not started" in body
    for page in (reverse("passports:learner_home"), "/"):
        body = client.get(page).content.decode()
        assert numbers in body
        assert "1 self-assessed" in body
        assert "669 not started" in body
    body = client.get(_section(enrolment, 3)).content.decode()
    assert "1.2.1 Respiratory system - Anatomy and physiology" in body
    assert _section(enrolment, 4) in body
    assert "Supernumerary</strong>" in body
