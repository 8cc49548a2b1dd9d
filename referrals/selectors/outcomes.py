"""R7: a referral's outcomes, newest first, for its Outcomes tab."""

from referrals.models import Outcome, Referral


def referral_outcomes_list(*, referral: Referral) -> list[Outcome]:
    """`referral` comes from `referral_for_access`, so the person may open it."""
    return list(referral.outcomes.select_related("recorded_by").order_by("-created_at", "-pk"))


def outcome_rows(outcome: Outcome) -> list[dict]:
    """The answers of one outcome as summary-list rows; questions that did not apply are left out."""
    yes_no = {True: "Yes", False: "No"}
    rows = [
        {"key": "Care (Education) and Treatment Review (C(E)TR) requested", "value": yes_no[outcome.cetr_requested]},
        {"key": "Local Area Emergency Protocol (LAEP) requested", "value": yes_no[outcome.laep_requested]},
    ]
    if outcome.meeting_happened is not None:
        rows.append({"key": "Did either meeting happen?", "value": yes_no[outcome.meeting_happened]})
    if outcome.why_not_happened:
        rows.append({"key": "Why it did not happen", "value": outcome.why_not_happened})
    if outcome.result:
        rows.append({"key": "Outcome", "value": outcome.get_result_display()})
    for key, value in (
        ("Notes", outcome.notes),
        ("Summary for next meeting", outcome.summary_for_next_meeting),
        ("Plan from meeting", outcome.plan_from_meeting),
    ):
        if value:
            rows.append({"key": key, "value": value})
    return rows


def referral_last_outcome(*, referral: Referral) -> Outcome | None:
    """The most recent outcome, or None: the record's summary shows it and the outcome form
    starts from it."""
    return referral.outcomes.select_related("recorded_by").order_by("-created_at", "-pk").first()
