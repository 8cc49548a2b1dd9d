"""Presenters for a referral's record page (R6, issue 16 item 8): the "at a glance" card (risk as
a coloured tag, the latest update, the last outcome) and the summary list of the answers, each
row with a "Change" link to the edit form when the person may update the record."""

import contextlib
from datetime import date

from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup, escape

from core.presenters import tag_classes
from referrals.models import ExtraQuestion, Outcome, Referral, Risk

RISK_TAG_CLASSES = {
    Risk.RED: tag_classes("red"),
    Risk.AMBER: tag_classes("orange"),
    Risk.GREEN: tag_classes("green"),
    Risk.BLUE: tag_classes("blue"),
}

CETR = "Care (Education) and Treatment Review (C(E)TR)"
LAEP = "Local Area Emergency Protocol (LAEP)"

_YES_NO = {True: "Yes", False: "No", None: "Not answered"}


def risk_tag(referral: Referral) -> Markup:
    return Markup('<strong class="nhsuk-tag {}">{}</strong>').format(
        RISK_TAG_CLASSES[referral.risk], referral.get_risk_display()
    )


def _row(key: str, value, field: str | None, edit_url: str | None) -> dict:
    row = {"key": {"text": key}, "value": {"html": value} if isinstance(value, Markup) else {"text": value}}
    if edit_url and field:
        row["actions"] = {
            "items": [{"href": f"{edit_url}#id_{field}", "text": "Change", "visuallyHiddenText": key.lower()}]
        }
    return row


def _multiline(text: str) -> Markup:
    return Markup("<br>").join(escape(line) for line in text.splitlines())


def outcome_summary(outcome: Outcome) -> str:
    """One line for the last outcome: what was requested and what happened."""
    requested = [
        name for name, asked in (("C(E)TR", outcome.cetr_requested), ("LAEP", outcome.laep_requested)) if asked
    ]
    if not requested:
        return "No C(E)TR or LAEP requested"
    text = f"{' and '.join(requested)} requested"
    if outcome.meeting_happened:
        return f"{text}. {outcome.get_result_display()}"
    if outcome.meeting_happened is False:
        return f"{text}. The meeting did not happen"
    return text


def glance_rows(referral: Referral, last_outcome: Outcome | None, *, edit_url: str | None, show_outcome: bool):
    """The "at a glance" rows: risk, latest update and (for administrators) the last outcome."""
    rows = [
        _row("Risk level", risk_tag(referral), "risk", edit_url),
        _row(
            "Latest update for the DSR meeting",
            _multiline(referral.latest_update) if referral.latest_update else "None yet",
            "latest_update",
            edit_url,
        ),
    ]
    if show_outcome:
        if last_outcome is None:
            value = "No outcome recorded yet"
        else:
            recorded = timezone.localtime(last_outcome.created_at).strftime("%-d %B %Y")
            value = Markup("{}<br><span class='nhsuk-body-s'>Recorded on {} by {}{}</span>").format(
                outcome_summary(last_outcome),
                recorded,
                last_outcome.recorded_by.get_full_name() or last_outcome.recorded_by.email,
                " (archived the record)" if last_outcome.archived else "",
            )
        rows.append(_row("Last outcome", value, None, None))
    return rows


def _answer_text(question: ExtraQuestion, answer):
    if answer and question.kind == ExtraQuestion.Kind.DATE:
        with contextlib.suppress(ValueError):
            return date.fromisoformat(answer).strftime("%-d %B %Y")
    if answer and question.kind == ExtraQuestion.Kind.YES_NO_DONT_KNOW:
        return {"yes": "Yes", "no": "No", "dont_know": "Don't know"}.get(answer, answer)
    return answer


def answer_rows(referral: Referral, questions, *, edit_url: str | None = None, field_name=None) -> list[dict]:
    """The summary list of a referral's answers. With `edit_url`, each answer that the edit form
    asks has a "Change" link to its field there; `field_name(question)` names an extra
    question's field."""
    rows = [("Has capacity to consent", _YES_NO[referral.has_capacity], "has_capacity")]
    if referral.has_capacity:
        rows.append(("Consent given", _YES_NO[referral.consent_given], "consent_given"))
    else:
        rows.append(("Best-interest decision made", _YES_NO[referral.best_interest_decision], "best_interest_decision"))
        if referral.best_interest_detail:
            rows.append(("Best-interest decision", referral.best_interest_detail, "best_interest_detail"))
    number = referral.nhs_number
    rows += [
        ("First name", referral.first_name, "first_name"),
        ("Last name", referral.last_name, "last_name"),
        ("Date of birth", referral.date_of_birth.strftime("%-d %B %Y"), "date_of_birth"),
        ("NHS number", f"{number[:3]} {number[3:6]} {number[6:]}", "nhs_number"),
        ("Learning disability and/or autism", referral.get_condition_display(), "condition"),
        ("Ethnicity", referral.get_ethnicity_display(), "ethnicity"),
        ("Locality", referral.locality, "locality"),
        ("Referring organisation", referral.centre.name, None),
        ("History with criminal justice", referral.get_criminal_justice_display(), "criminal_justice"),
    ]
    if not edit_url:
        # Read-only: everything in one list, as before. With Change links the risk and the
        # latest update are in the "at a glance" card instead.
        rows += [
            ("Risk level", referral.get_risk_display(), None),
            ("Latest update for the DSR meeting", referral.latest_update or "None", None),
        ]
    answers = referral.extra_answers or {}
    for question in questions:
        answer = answers.get(str(question.public_id))
        if answer is None and not question.is_active:
            continue
        name = field_name(question) if field_name and question.is_active else None
        rows.append((question.text, _answer_text(question, answer) or "Not answered", name))
    return [_row(key, value, name, edit_url) for key, value, name in rows]


def edit_url_for(referral: Referral) -> str:
    return reverse("referrals:edit", kwargs={"referral_id": referral.public_id})
