"""C11 notification preferences and C14 system notices (writes)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from centres.audit import audit_record
from centres.models import Centre
from centres.notification_rules import kinds_for_roles
from centres.selectors.memberships import active_roles
from centres.selectors.notifications import subscribers_at_every_centre
from centres.services.errors import CentreServiceError
from notifications.models import NotificationKind, NotificationSubscription, SystemNotice
from notifications.services import email_send


@transaction.atomic
def notification_subscriptions_replace(*, user, centre: Centre, kinds, request=None) -> set[str]:
    """Replace the person's subscriptions at `centre` with `kinds`; only kinds their roles
    there allow. Returns the kinds now subscribed."""
    allowed = {kind.value for kind in kinds_for_roles(active_roles(user=user, centre=centre))}
    wanted = {NotificationKind(kind).value for kind in kinds}
    refused = wanted - allowed
    if refused:
        labels = ", ".join(NotificationKind(kind).label for kind in sorted(refused))
        raise CentreServiceError(f"Your roles at this centre do not include these notifications: {labels}")
    current = set(NotificationSubscription.objects.for_centre(centre).filter(user=user).values_list("kind", flat=True))
    NotificationSubscription.objects.for_centre(centre).filter(user=user).exclude(kind__in=wanted).delete()
    NotificationSubscription.objects.bulk_create(
        [NotificationSubscription(user=user, centre=centre, kind=kind) for kind in sorted(wanted - current)]
    )
    if wanted != current:
        labels = ", ".join(NotificationKind(kind).label for kind in NotificationKind.values if kind in wanted)
        audit_record(
            actor=user,
            centre=centre,
            action="notifications.preferences_changed",
            target=user,
            summary=f"{user.get_full_name()} now receives: {labels or 'no notifications'}",
            request=request,
        )
    return wanted


NOTICE_BODY_MAX_LENGTH = 5000


def _notice_email_all(notice: SystemNotice) -> int:
    addresses = subscribers_at_every_centre(NotificationKind.SYSTEM_NOTICE)
    for address in addresses:
        email_send(to=[address], template="centres/emails/system_notice", context={"notice": notice})
    return len(addresses)


@transaction.atomic
def system_notice_create(
    *, title: str, body: str, created_by, publish: bool, expires_at: datetime | None = None, request=None
) -> SystemNotice:
    """C14: platform staff write a notice, published now (every subscriber is emailed, one
    email each, in this transaction) or kept as a draft."""
    if not created_by.is_staff:
        raise CentreServiceError("Only the platform team can post system notices")
    title, body = title.strip(), body.strip()
    if not title:
        raise CentreServiceError("Enter a title")
    if len(title) > SystemNotice._meta.get_field("title").max_length:
        raise CentreServiceError("Title must be 200 characters or fewer")
    if not body:
        raise CentreServiceError("Enter the notice")
    if len(body) > NOTICE_BODY_MAX_LENGTH:
        raise CentreServiceError(f"The notice must be {NOTICE_BODY_MAX_LENGTH} characters or fewer")
    if expires_at is not None and expires_at <= timezone.now():
        raise CentreServiceError("The last day to show the notice must be today or in the future")
    notice = SystemNotice.objects.create(title=title, body=body, created_by=created_by, expires_at=expires_at)
    audit_record(
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
        raise CentreServiceError("Only the platform team can publish system notices")
    notice = SystemNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.published_at is not None:
        raise CentreServiceError("This notice has already been published")
    if notice.expires_at is not None and notice.expires_at <= timezone.now():
        raise CentreServiceError("This notice has expired, so it cannot be published")
    notice.published_at = timezone.now()
    notice.save(update_fields=["published_at"])
    sent = _notice_email_all(notice)
    audit_record(
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
        raise CentreServiceError("Only the platform team can withdraw system notices")
    now = timezone.now()
    if notice.published_at is None or (notice.expires_at is not None and notice.expires_at <= now):
        raise CentreServiceError("This notice is not showing, so there is nothing to withdraw")
    notice.expires_at = now
    notice.save(update_fields=["expires_at"])
    audit_record(
        actor=withdrawn_by,
        action="notice.withdrawn",
        target=notice,
        summary=f"System notice withdrawn: {notice.title}",
        request=request,
    )
    return notice
