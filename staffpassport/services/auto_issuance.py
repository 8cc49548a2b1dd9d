"""S4: which credentials a trust issues automatically when ESR sends them."""

from django.db import transaction
from django.utils import timezone

from centres.audit import audit_record
from staffpassport.models import AutoIssuanceSetting, Credential
from staffpassport.selectors.catalogue import auto_issuance_map
from staffpassport.services.errors import StaffPassportServiceError


@transaction.atomic
def auto_issuance_save(*, centre, automatic_ids: set[int], changed_by, request=None) -> list[Credential]:
    """Store a setting for every credential in the catalogue: automatic when its id is in
    `automatic_ids`, manual otherwise. Returns the credentials whose setting changed."""
    before = auto_issuance_map(centre=centre)
    credentials = {credential.pk: credential for credential in Credential.objects.all()}
    unknown = set(automatic_ids) - set(credentials)
    if unknown:
        raise StaffPassportServiceError("One of the credentials you selected is no longer in the catalogue")
    changed = [credentials[pk] for pk in credentials if before[pk] != (pk in automatic_ids)]
    existing = {
        setting.credential_id: setting for setting in AutoIssuanceSetting.objects.for_centre(centre).select_for_update()
    }
    to_create, to_update = [], []
    for pk in credentials:
        automatic = pk in automatic_ids
        if pk in existing:
            if existing[pk].automatic != automatic:
                existing[pk].automatic = automatic
                existing[pk].updated_at = timezone.now()
                to_update.append(existing[pk])
        else:
            to_create.append(AutoIssuanceSetting(centre=centre, credential_id=pk, automatic=automatic))
    AutoIssuanceSetting.objects.bulk_create(to_create)
    AutoIssuanceSetting.objects.bulk_update(to_update, ["automatic", "updated_at"])
    if changed:
        audit_record(
            actor=changed_by,
            action="staffpassport.auto_issuance_changed",
            centre=centre,
            summary="Automatic issuance "
            + "; ".join(
                f"{credential.name}: {'on' if credential.pk in automatic_ids else 'off'}" for credential in changed
            ),
            request=request,
        )
    return changed
