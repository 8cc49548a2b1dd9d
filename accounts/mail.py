"""How allauth's emails (verification, password reset) leave accounts: through a sender that
a higher layer registers. notifications registers its outbox (`email_send`) from
NotificationsConfig.ready(), so accounts never imports notifications (ADR 0029)."""

from collections.abc import Callable

_senders: list[Callable[..., object]] = []


def mail_sender_register(sender: Callable[..., object]) -> None:
    """`sender(*, to, template, context)` writes one email; the last one registered wins."""
    _senders.append(sender)


def mail_send(*, to: list[str], template: str, context: dict) -> None:
    if not _senders:
        raise RuntimeError("No mail sender is registered: is the notifications app installed?")
    _senders[-1](to=to, template=template, context=context)
