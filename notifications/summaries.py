"""ADR 0026: the weekly summary. Once per person per centre per ISO week, each subscriber of
the "Weekly summary" kind who may still receive it gets one email listing what waits for them
there, from the sections apps register (notifications.registry). Nobody gets an empty one.

A `WeeklySummary` row is claimed in the same transaction as the outbox email: a re-run or a
redelivered task finds the row and sends nothing, and a rolled-back send leaves neither.

Audiences (ADR 0039) do the same for summaries to a mailbox an app keeps (a team's address):
the app's `claim` writes its own weekly record in the transaction of the outbox email.
"""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.models import NotificationSubscription, WeeklySummary
from notifications.registry import (
    WEEKLY_SUMMARY,
    SummaryEntry,
    SummaryRecipient,
    notification_audience,
    summary_audience,
    summary_sections,
)
from notifications.services import email_send

TEMPLATE = "notifications/emails/weekly_summary"


def iso_week_of(day: date | None = None) -> tuple[int, int]:
    """(ISO year, ISO week) of `day` (today, in the service's time zone, by default)."""
    iso = (day or timezone.localdate()).isocalendar()
    return iso.year, iso.week


def summary_entries(*, user, centre, for_home: bool = False) -> list[SummaryEntry]:
    """What waits for `user` at `centre`, one entry per section with something in it; each
    section checks the person's permissions there now. The weekly email leaves out the
    home-only sections; the home page's "To do" (`for_home`) shows them too."""
    entries = []
    for section in summary_sections(for_home=for_home):
        entry = section.build(user=user, centre=centre)
        if entry is not None:
            entries.append(entry)
    return entries


def weekly_summary_centre_ids() -> list[int]:
    """Active centres with at least one weekly-summary subscription (one task each)."""
    return sorted(
        NotificationSubscription.objects.filter(kind=WEEKLY_SUMMARY, centre__is_active=True)
        .values_list("centre_id", flat=True)
        .distinct()
    )


def weekly_summary_recipients(*, centre_id: int) -> list[NotificationSubscription]:
    """Subscriptions at the centre whose person may still receive the summary (the audience
    rule registered from centres), each with `address`."""
    subscriptions = NotificationSubscription.objects.filter(centre_id=centre_id)
    return list(
        notification_audience(subscriptions, WEEKLY_SUMMARY).select_related("user", "centre").order_by("user_id")
    )


@transaction.atomic
def weekly_summary_send(*, user, centre, address: str, iso_year: int, iso_week: int) -> WeeklySummary | None:
    """Send this person's summary for the week unless it went already or nothing waits."""
    week = WeeklySummary.objects.for_centre(centre).filter(user=user, iso_year=iso_year, iso_week=iso_week)
    if week.exists():
        return None
    entries = summary_entries(user=user, centre=centre)
    if not entries:
        return None
    # A concurrent run inserting the same week waits on the unique index, then finds it here.
    summary, created = WeeklySummary.objects.get_or_create(
        user=user, centre=centre, iso_year=iso_year, iso_week=iso_week
    )
    if not created:
        return None
    summary.outbox_email = email_send(
        to=[address],
        template=TEMPLATE,
        context={
            "user": user,
            "centre": centre,
            "entries": entries,
            "iso_week": iso_week,
            "preferences_path": reverse("my_account:notifications"),
        },
        centre=centre,
    )
    summary.save(update_fields=["outbox_email", "updated_at"])
    return summary


def weekly_summaries_send_for_centre(*, centre_id: int, iso_year: int, iso_week: int) -> int:
    """Every recipient's summary at one centre, each in its own transaction; returns how many
    were sent."""
    sent = 0
    for subscription in weekly_summary_recipients(centre_id=centre_id):
        summary = weekly_summary_send(
            user=subscription.user,
            centre=subscription.centre,
            address=subscription.address,
            iso_year=iso_year,
            iso_week=iso_week,
        )
        sent += summary is not None
    return sent


# -- audiences: summaries to an address an app keeps (ADR 0039) ------------------------------


@transaction.atomic
def audience_summary_send(*, code: str, recipient: SummaryRecipient, iso_year: int, iso_week: int):
    """Send one recipient's summary for the week unless nothing waits or it went already.
    Returns the audience's weekly record, or None when nothing was sent."""
    audience = summary_audience(code)
    entries = audience.entries(recipient=recipient)
    if not entries:
        return None
    record = audience.claim(recipient=recipient, iso_year=iso_year, iso_week=iso_week)
    if record is None:
        return None
    record.outbox_email = email_send(
        to=[recipient.address],
        template=audience.template,
        context={"recipient": recipient, "centre": recipient.centre, "entries": entries, "iso_week": iso_week},
        centre=recipient.centre,
    )
    record.save(update_fields=["outbox_email", "updated_at"])
    return record


def audience_summaries_send_for_centre(*, code: str, centre_id: int, iso_year: int, iso_week: int) -> int:
    """Every recipient of one audience at one centre, each in its own transaction."""
    sent = 0
    for recipient in summary_audience(code).recipients(centre_id=centre_id):
        sent += audience_summary_send(code=code, recipient=recipient, iso_year=iso_year, iso_week=iso_week) is not None
    return sent
