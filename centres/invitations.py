"""C2 invitations: an email address invited to register at a centre (written by passports'
staff list, P2) is approved at once when it self-registers there."""

from django.utils import timezone

from centres.models import Centre, Invitation


def invitation_record(*, centre: Centre, email: str, invited_by) -> Invitation:
    """Call inside the inviting service's transaction (it audits and sends the email)."""
    return Invitation.objects.create(centre=centre, email=email.strip().lower(), invited_by=invited_by)


def invitation_accept(*, centre: Centre, email: str) -> bool:
    """Mark every open invitation of `email` at `centre` accepted; True if there was one."""
    return bool(
        Invitation.objects.for_centre(centre)
        .filter(email=email.strip().lower(), accepted_at__isnull=True)
        .update(accepted_at=timezone.now())
    )
