"""Reads of the platform-wide catalogue and a trust's auto-issuance settings (S4)."""

from collections.abc import Iterable

from staffpassport.models import AutoIssuanceSetting, Credential, CredentialCategory, StaffGroup


def categories_with_credentials() -> list[CredentialCategory]:
    """Every category with its credentials prefetched, in catalogue order."""
    return list(CredentialCategory.objects.prefetch_related("credentials").order_by("position", "name"))


def staff_groups() -> list[StaffGroup]:
    return list(StaffGroup.objects.order_by("position", "name"))


def auto_issuance_map(*, centre) -> dict[int, bool]:
    """Credential id -> whether the trust issues it automatically when ESR sends it. A
    credential without a stored setting has the default (`AUTOMATIC_BY_DEFAULT`, ADR 0038)."""
    stored = dict(AutoIssuanceSetting.objects.for_centre(centre).values_list("credential_id", "automatic"))
    return {
        credential_id: stored.get(credential_id, AutoIssuanceSetting.AUTOMATIC_BY_DEFAULT)
        for credential_id in Credential.objects.values_list("id", flat=True)
    }


def credential_issues_automatically(*, centre, credential: Credential) -> bool:
    setting = AutoIssuanceSetting.objects.for_centre(centre).filter(credential=credential).first()
    return setting.automatic if setting else AutoIssuanceSetting.AUTOMATIC_BY_DEFAULT


def credentials_by_code(codes: Iterable[str] | None = None) -> dict[str, Credential]:
    """Credentials keyed by their code (what an ESR feed names), all of them or those asked for."""
    queryset = Credential.objects.select_related("category")
    if codes is not None:
        queryset = queryset.filter(code__in=list(codes))
    return {credential.code: credential for credential in queryset}
