"""The client's address, trusting X-Forwarded-For only from configured proxies."""

from ipaddress import ip_address

from django.conf import settings


def _is_ip(value: str) -> bool:
    try:
        ip_address(value)
    except ValueError:
        return False
    return True


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and remote in settings.TRUSTED_PROXIES:
        # The right-most address not added by one of our proxies is the client.
        for hop in reversed([part.strip() for part in forwarded.split(",")]):
            if hop not in settings.TRUSTED_PROXIES:
                return hop if _is_ip(hop) else None
    return remote if _is_ip(remote) else None
