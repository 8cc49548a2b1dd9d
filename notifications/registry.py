"""What the apps above add to notifications, registered from their `AppConfig.ready()`
(ADR 0025); notifications never imports them.

- Notification kinds: what a person can subscribe to at a centre, with the permissions that
  allow it (codes are stored on subscriptions, so a new kind needs no migration).
- The audience rule: which subscriptions may still receive a kind (who holds which role is
  known only above, in centres).
- The kinds a person may choose at a centre (from their roles there) and the audit trail
  that preference and notice changes are written to: both kept in centres.
- Weekly-summary sections: what waits for one person at one centre (ADR 0026).
- Weekly-summary audiences: summaries addressed to a mailbox rather than to a subscribed
  person (a trust's HR team address), each with its own recipients, entries and weekly
  record (ADR 0039). `notifications.summaries` sends them on the same Monday beat.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

# The kinds notifications itself sends (their audience is registered from above like any other).
SYSTEM_NOTICE = "system_notice"
WEEKLY_SUMMARY = "weekly_summary"


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str
    hint: str
    # Any one of these permissions at the centre allows the kind; None: any role there.
    permissions: frozenset[str] | None
    order: int  # place on the preferences page, smallest first
    # Ticked for someone when a role first allows the kind (work sent to them by name); they
    # can untick it. Other kinds start unticked.
    on_when_granted: bool = False

    @property
    def value(self) -> str:
        return self.code


@dataclass(frozen=True)
class SummaryEntry:
    """One line of a weekly summary: "3 registrations awaiting approval", with its page."""

    text: str
    path: str
    details: list[str] = field(default_factory=list)


# build(user=, centre=) -> SummaryEntry | None. It checks the person's permissions at the
# centre NOW and returns None when they may not see it or nothing waits.
SectionBuild = Callable[..., SummaryEntry | None]
# audience(subscriptions, kind) -> the subscriptions whose person may still receive `kind`,
# annotated with `address` (where that person's emails about the centre go).
Audience = Callable


@dataclass(frozen=True)
class SummarySection:
    code: str
    build: SectionBuild
    order: int
    # True: a "To do" entry on the home page only, never a line of the per-person weekly
    # email (work for a role that is not offered that email, ADR 0044).
    home_only: bool = False


_KINDS: dict[str, NotificationKind] = {}
_SECTIONS: dict[str, SummarySection] = {}
_AUDIENCE: list[Audience] = []
_HOOKS: dict[str, Callable] = {}


def notification_kind_register(kind: NotificationKind) -> None:
    _KINDS[kind.code] = kind


def notification_kind(code: str) -> NotificationKind:
    """The registered kind; an unknown code raises KeyError."""
    return _KINDS[str(code)]


def notification_kinds() -> list[NotificationKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.code))


def notification_audience_register(audience: Audience) -> None:
    _AUDIENCE[:] = [audience]


def notification_audience(subscriptions, kind: str):
    if not _AUDIENCE:
        raise LookupError("No notification audience rule is registered (centres registers it)")
    return _AUDIENCE[0](subscriptions, kind)


def notification_kinds_allowed_register(kinds_allowed: Callable[..., list[NotificationKind]]) -> None:
    """`kinds_allowed(user=, centre=)`: the kinds the person's roles at the centre allow."""
    _HOOKS["kinds_allowed"] = kinds_allowed


def notification_kinds_allowed(*, user, centre) -> list[NotificationKind]:
    return _HOOKS["kinds_allowed"](user=user, centre=centre)


def notification_audit_register(audit_record: Callable) -> None:
    """`audit_record(actor=, action=, centre=, target=, summary=, request=)`, centres' trail."""
    _HOOKS["audit_record"] = audit_record


def notification_audit(**event) -> None:
    _HOOKS["audit_record"](**event)


def summary_section_register(code: str, build: SectionBuild, *, order: int, home_only: bool = False) -> None:
    _SECTIONS[code] = SummarySection(code=code, build=build, order=order, home_only=home_only)


def summary_sections(*, for_home: bool = False) -> list[SummarySection]:
    """The sections of the weekly email, or (`for_home`) of the home page's "To do", which also
    shows the home-only ones."""
    sections = [section for section in _SECTIONS.values() if for_home or not section.home_only]
    return sorted(sections, key=lambda section: (section.order, section.code))


@dataclass(frozen=True)
class SummaryRecipient:
    """One mailbox an audience sends a weekly summary to at one centre: `key` tells it apart
    from the audience's other recipients there ("hr"), `label` names it in the email."""

    centre: object
    key: str
    address: str
    label: str


@dataclass(frozen=True)
class SummaryAudience:
    """Weekly summaries to addresses an app keeps (not subscriptions). The app owns the
    weekly record: `claim` creates it inside the send's transaction, or returns None when
    this recipient's week was claimed already (a unique constraint makes a concurrent run
    wait, then find it). The record gets the outbox email in its `outbox_email`."""

    code: str
    centre_ids: Callable[[], list[int]]  # () -> centres with at least one recipient on
    recipients: Callable[..., list[SummaryRecipient]]  # (centre_id=) -> recipients on now
    entries: Callable[..., list[SummaryEntry]]  # (recipient=) -> what waits; [] sends nothing
    claim: Callable[..., object | None]  # (recipient=, iso_year=, iso_week=) -> record | None
    template: str  # the email template (subject, text, HTML), given recipient and entries


_AUDIENCES: dict[str, SummaryAudience] = {}


def summary_audience_register(audience: SummaryAudience) -> None:
    _AUDIENCES[audience.code] = audience


def summary_audience(code: str) -> SummaryAudience:
    """The registered audience; an unknown code raises KeyError."""
    return _AUDIENCES[code]


def summary_audiences() -> list[SummaryAudience]:
    return sorted(_AUDIENCES.values(), key=lambda audience: audience.code)
