"""R6: a referral's History tab: every saved version, newest first, with what changed.

All versions come in one query (with who saved them) and are compared with each other in
memory, so the page costs the same whatever the number of versions."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from referrals.models import ExtraQuestion, Referral

# Bookkeeping columns that change with every save; the "who" and "when" are shown anyway.
_NOT_SHOWN = {"updated_by", "created_by", "created_at", "archived_by", "register", "centre", "reference", "public_id"}
_BOOLEANS = {True: "Yes", False: "No", None: "Not answered"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Version:
    when: object
    who: str
    kind: str  # "Created", "Updated" (simple-history's history_type +, ~, -)
    changes: list[Change] = field(default_factory=list)


def _display(model_field, value) -> str:
    if value in (None, ""):
        return "Not answered" if model_field.get_internal_type() == "BooleanField" else "(blank)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _BOOLEANS[value]
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%-d %B %Y at %H:%M")
    if isinstance(value, date):
        return value.strftime("%-d %B %Y")
    return str(value)


def _answer_display(question: ExtraQuestion | None, value) -> str:
    if value in (None, ""):
        return "(blank)"
    if question is not None and question.kind == ExtraQuestion.Kind.DATE:
        try:
            return date.fromisoformat(value).strftime("%-d %B %Y")
        except (TypeError, ValueError):
            return str(value)
    if question is not None and question.kind == ExtraQuestion.Kind.YES_NO_DONT_KNOW:
        return {"yes": "Yes", "no": "No", "dont_know": "Don't know"}.get(value, str(value))
    return str(value)


def _answer_changes(old: dict, new: dict, questions: dict) -> list[Change]:
    changes = []
    for key in sorted(
        set(old) | set(new), key=lambda k: (questions[k].position, questions[k].text) if k in questions else (9999, k)
    ):
        if old.get(key) != new.get(key):
            question = questions.get(key)
            changes.append(
                Change(
                    label=question.text if question else "A question no longer asked",
                    old=_answer_display(question, old.get(key)),
                    new=_answer_display(question, new.get(key)),
                )
            )
    return changes


def referral_versions(*, referral: Referral) -> list[Version]:
    """Every version of `referral`, newest first, each with the fields that changed from the
    one before (the first: none). Two queries: the versions and the register's questions."""
    records = list(referral.history.select_related("history_user", "updated_by").order_by("history_date", "history_id"))
    questions = {
        str(question.public_id): question for question in ExtraQuestion.objects.filter(register_id=referral.register_id)
    }
    fields = {model_field.name: model_field for model_field in Referral._meta.fields}
    versions = []
    previous = None
    for record in records:
        saved_by = record.history_user or record.updated_by  # history_user is unset for rows saved outside a service
        who = saved_by.get_full_name() if saved_by else "Unknown"
        kind = {"+": "Created", "~": "Updated", "-": "Deleted"}.get(record.history_type, "Updated")
        version = Version(when=record.history_date, who=who, kind=kind)
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=list(_NOT_SHOWN))
            for change in delta.changes:
                if change.field == "extra_answers":
                    version.changes.extend(_answer_changes(change.old or {}, change.new or {}, questions))
                    continue
                model_field = fields[change.field]
                if change.field == "archived_at":
                    version.kind = "Archived" if change.new else "Updated"
                version.changes.append(
                    Change(
                        label=str(model_field.verbose_name)[:1].upper() + str(model_field.verbose_name)[1:],
                        old=_display(model_field, change.old),
                        new=_display(model_field, change.new),
                    )
                )
        versions.append(version)
        previous = record
    versions.reverse()
    return versions
