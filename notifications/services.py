"""`email_send` writes to the outbox; `email_deliver` sends one row exactly once. Also the
writes of notification preferences (C11) and system notices (C14)."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from core.tasks import task_dispatch_on_commit
from notifications.exceptions import NotificationError
from notifications.models import NotificationSubscription, OutboundEmail, SystemNotice
from notifications.registry import (
    SYSTEM_NOTICE,
    notification_audit,
    notification_kind,
    notification_kinds,
    notification_kinds_allowed,
)
from notifications.selectors import subscribers_at_every_centre

logger = logging.getLogger(__name__)

# A row claimed by a worker that died is handed out again after this long.
STALE_CLAIM_AFTER = timedelta(minutes=15)


def _render(template: str, context: dict) -> tuple[str, str, str]:
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text_body = render_to_string(f"{template}_message.txt", context).strip()
    try:
        html_body = render_to_string(f"{template}_message.html", context).strip()
    except TemplateDoesNotExist:
        html_body = ""
    return subject, text_body, html_body


def email_send(
    *,
    to: list[str],
    template: str,
    context: dict,
    cc: list[str] | None = None,
    centre=None,
    send_after: datetime | None = None,
) -> OutboundEmail:
    """Render `template` (`<template>_subject.txt`, `_message.txt`, optional `_message.html`)
    into an outbox row. The row commits with the caller's transaction; delivery is queued
    after commit, so an email is never sent for a change that was rolled back."""
    subject, text_body, html_body = _render(
        template, {"service_name": settings.SERVICE_NAME, "site_url": settings.SITE_URL, **context}
    )
    email = OutboundEmail.objects.create(
        template=template,
        to=sorted({address.strip().lower() for address in to}),
        cc=sorted({address.strip().lower() for address in cc or []} - {address.strip().lower() for address in to}),
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        centre_code=getattr(centre, "code", ""),
        send_after=send_after,
    )
    if send_after is None or send_after <= timezone.now():
        from notifications.tasks import email_deliver_task

        # A broker outage is logged, not raised: the row is saved and the outbox sweep sends it.
        task_dispatch_on_commit(email_deliver_task, email.pk)
    return email


def emails_send(
    *,
    template: str,
    messages: list[tuple[list[str], dict]],
    centre=None,
    send_after: datetime | None = None,
) -> list[OutboundEmail]:
    """`email_send` for many people at once (one `(to, context)` per email): each template is
    loaded once, the outbox rows are written with one INSERT per 500, and delivery is queued
    with one task after commit, whatever the number of emails."""
    if not messages:
        return []
    base = {"service_name": settings.SERVICE_NAME, "site_url": settings.SITE_URL}
    subject_template = get_template(f"{template}_subject.txt")
    text_template = get_template(f"{template}_message.txt")
    try:
        html_template = get_template(f"{template}_message.html")
    except TemplateDoesNotExist:
        html_template = None
    rows = []
    for to, context in messages:
        context = {**base, **context}
        addresses = sorted({address.strip().lower() for address in to})
        rows.append(
            OutboundEmail(
                template=template,
                to=addresses,
                cc=[],
                subject=" ".join(subject_template.render(context).split()),
                text_body=text_template.render(context).strip(),
                html_body=html_template.render(context).strip() if html_template else "",
                centre_code=getattr(centre, "code", ""),
                send_after=send_after,
            )
        )
    emails = OutboundEmail.objects.bulk_create(rows, batch_size=500)
    if send_after is None or send_after <= timezone.now():
        from notifications.tasks import emails_deliver_task

        ids = [email.pk for email in emails]
        task_dispatch_on_commit(emails_deliver_task, ids)  # broker down: logged; the outbox sweep sends them
    return emails


def retry_delay(*, attempts: int) -> timedelta:
    """Back-off after `attempts` failed sends: base, 2 x base, 4 x base, ..."""
    return timedelta(seconds=settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def email_retry_countdown(*, email_id: int) -> float:
    """Seconds until a failed row may be tried again (its back-off is kept in send_after)."""
    send_after = OutboundEmail.objects.filter(pk=email_id).values_list("send_after", flat=True).first()
    if send_after is None:
        return 0.0
    return max((send_after - timezone.now()).total_seconds(), 0.0) + 0.5


def email_claim(*, email_id: int) -> OutboundEmail | None:
    """Mark a due row as being sent; returns None if another worker has it or it is done."""
    now = timezone.now()
    due = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.PENDING).exclude(send_after__gt=now)
    stale = OutboundEmail.objects.filter(
        pk=email_id, status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER
    )
    for queryset in (due, stale):
        if queryset.update(status=OutboundEmail.Status.SENDING, claimed_at=now):
            return OutboundEmail.objects.get(pk=email_id)
    return None


def email_deliver(*, email_id: int) -> bool:
    """Send one outbox row. Returns True when sent; raises when the send failed so the task
    can retry (the row goes back to pending, or to failed after the last attempt)."""
    email = email_claim(email_id=email_id)
    if email is None:
        return False
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        cc=email.cc,
        headers={"X-Outbox-Id": str(email.public_id)},
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    try:
        mailers.default.send_messages([message])
    except Exception as error:
        attempts = email.attempts + 1
        gave_up = attempts >= settings.OUTBOX_MAX_ATTEMPTS
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.FAILED if gave_up else OutboundEmail.Status.PENDING,
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            claimed_at=None,
            # Nobody (the task's retry, or the sweep) may try again before the back-off is over,
            # so a mail server outage does not use up the attempts in a few minutes.
            send_after=timezone.now() + retry_delay(attempts=attempts),
        )
        logger.warning("Email %s failed on attempt %s: %s", email.public_id, attempts, error)
        raise
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENT, attempts=email.attempts + 1, sent_at=timezone.now(), last_error=""
    )
    return True


def outbox_due_ids(*, older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    """Rows that should have gone by now: never queued (Redis was down), due scheduled
    emails, or claimed by a worker that died."""
    now = timezone.now()
    pending = (
        OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING)
        .exclude(send_after__gt=now)
        .filter(created_at__lt=now - older_than)
    )
    scheduled = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, send_after__lte=now)
    stale = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER)
    return sorted(
        set(pending.values_list("pk", flat=True))
        | set(scheduled.values_list("pk", flat=True))
        | set(stale.values_list("pk", flat=True))
    )


def email_cancel(*, email_id: int) -> bool:
    """Stop a row that has not gone yet (e.g. a scheduled welcome email whose link a newer one
    replaced). Returns True if it was cancelled; a row being sent or sent is left alone."""
    return bool(emails_cancel(email_ids=[email_id]))


def emails_cancel(*, email_ids) -> int:
    """`email_cancel` for many rows in one UPDATE; returns how many were cancelled."""
    return OutboundEmail.objects.filter(pk__in=list(email_ids), status=OutboundEmail.Status.PENDING).update(
        status=OutboundEmail.Status.CANCELLED
    )


# -- C11 notification preferences -----------------------------------------------------------


@transaction.atomic
def notification_subscriptions_add(*, user, centre, kinds: list[str]) -> None:
    """Subscribe `user` at `centre` to `kinds` (those a new role ticks for them; ADR 0026)."""
    NotificationSubscription.objects.bulk_create(
        [NotificationSubscription(user=user, centre=centre, kind=kind) for kind in kinds], ignore_conflicts=True
    )


def notification_subscriptions_replace(*, user, centre, kinds, request=None) -> set[str]:
    """Replace the person's subscriptions at `centre` with `kinds`; only kinds their roles
    there allow. Returns the kinds now subscribed."""
    allowed = {kind.code for kind in notification_kinds_allowed(user=user, centre=centre)}
    wanted = {notification_kind(kind).code for kind in kinds}
    refused = wanted - allowed
    if refused:
        labels = ", ".join(notification_kind(kind).label for kind in sorted(refused))
        raise NotificationError(f"Your roles at this centre do not include these notifications: {labels}")
    mine = NotificationSubscription.objects.for_centre(centre).filter(user=user)
    current = set(mine.values_list("kind", flat=True))
    mine.exclude(kind__in=wanted).delete()
    NotificationSubscription.objects.bulk_create(
        [NotificationSubscription(user=user, centre=centre, kind=kind) for kind in sorted(wanted - current)]
    )
    if wanted != current:
        labels = ", ".join(kind.label for kind in notification_kinds() if kind.code in wanted)
        notification_audit(
            actor=user,
            centre=centre,
            action="notifications.preferences_changed",
            target=user,
            summary=f"{user.get_full_name()} now receives: {labels or 'no notifications'}",
            request=request,
        )
    return wanted


# -- C14 system notices ---------------------------------------------------------------------

NOTICE_BODY_MAX_LENGTH = 5000


def _notice_email_all(notice: SystemNotice) -> int:
    addresses = subscribers_at_every_centre(SYSTEM_NOTICE)
    for address in addresses:
        email_send(to=[address], template="notifications/emails/system_notice", context={"notice": notice})
    return len(addresses)


def _notice_check(*, title: str, body: str, expires_at: datetime | None) -> None:
    if not title:
        raise NotificationError("Enter a title")
    if len(title) > SystemNotice._meta.get_field("title").max_length:
        raise NotificationError("Title must be 200 characters or fewer")
    if not body:
        raise NotificationError("Enter the notice")
    if len(body) > NOTICE_BODY_MAX_LENGTH:
        raise NotificationError(f"The notice must be {NOTICE_BODY_MAX_LENGTH} characters or fewer")
    if expires_at is not None and expires_at <= timezone.now():
        raise NotificationError("The last day to show the notice must be today or in the future")


@transaction.atomic
def system_notice_create(
    *, title: str, body: str, created_by, publish: bool, expires_at: datetime | None = None, request=None
) -> SystemNotice:
    """C14: platform staff write a notice, published now (every subscriber is emailed, one
    email each, in this transaction) or kept as a draft."""
    if not created_by.is_staff:
        raise NotificationError("Only the platform team can post system notices")
    title, body = title.strip(), body.strip()
    _notice_check(title=title, body=body, expires_at=expires_at)
    notice = SystemNotice.objects.create(title=title, body=body, created_by=created_by, expires_at=expires_at)
    notification_audit(
        actor=created_by,
        action="notice.created",
        target=notice,
        summary=f"System notice drafted: {title}",
        request=request,
    )
    # How many subscribers were emailed, for the confirmation message (0 for a draft).
    notice.emailed_count = 0
    if publish:
        notice.emailed_count = system_notice_publish(notice=notice, published_by=created_by, request=request)
    return notice


@transaction.atomic
def system_notice_publish(*, notice: SystemNotice, published_by, request=None) -> int:
    """Publish a draft: it shows on dashboards and each subscriber is emailed once. Returns
    how many emails were written to the outbox."""
    if not published_by.is_staff:
        raise NotificationError("Only the platform team can publish system notices")
    notice = SystemNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.published_at is not None:
        raise NotificationError("This notice has already been published")
    if notice.expires_at is not None and notice.expires_at <= timezone.now():
        raise NotificationError("This notice has expired, so it cannot be published")
    notice.published_at = timezone.now()
    notice.save(update_fields=["published_at"])
    sent = _notice_email_all(notice)
    notification_audit(
        actor=published_by,
        action="notice.published",
        target=notice,
        summary=f"System notice published: {notice.title} (emailed to {sent} subscriber{'s' if sent != 1 else ''})",
        request=request,
    )
    return sent


@transaction.atomic
def system_notice_withdraw(*, notice: SystemNotice, withdrawn_by, request=None) -> SystemNotice:
    """Stop showing a published notice now (it stays in the list as expired)."""
    if not withdrawn_by.is_staff:
        raise NotificationError("Only the platform team can withdraw system notices")
    now = timezone.now()
    if notice.published_at is None or (notice.expires_at is not None and notice.expires_at <= now):
        raise NotificationError("This notice is not showing, so there is nothing to withdraw")
    notice.expires_at = now
    notice.save(update_fields=["expires_at"])
    notification_audit(
        actor=withdrawn_by,
        action="notice.withdrawn",
        target=notice,
        summary=f"System notice withdrawn: {notice.title}",
        request=request,
    )
    return notice
