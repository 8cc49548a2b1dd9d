"""S7 (sp-esr) objects of centre B for the isolation walk: a staff passport with a credential
waiting for manual issue, and an ESR import checked but not confirmed."""

from staffpassport.models import EsrImport, StaffCredential
from staffpassport.tests.esr_helpers import esr_import_rows, manual_issue


def staffpassport_esr_world(b: dict, centre_b, b_manager) -> list[str]:
    manual_issue(centre_b, "dbs-basic")
    esr_import_rows(
        centre_b,
        "99999001,Bravissima,Zanzibar-Staff,staff@bravo-secret.example,Administrative and Clerical,,Current,"
        "2020-01-01,dbs-basic,ZANZIBAR-DBS-1,2025-01-01,",
    )
    credential = StaffCredential.objects.for_centre(centre_b).get()
    b["sp_staff_member"] = credential.staff_member
    b["sp_credential"] = credential
    b["sp_esr_import"] = EsrImport.objects.create(
        centre=centre_b,
        uploaded_by=b_manager,
        file_name="bravo-secret-zanzibar-feed.csv",
        status=EsrImport.Status.PREVIEW,
        counts={"rows": 1, "new_staff": 1},
    )
    return ["ZANZIBAR-DBS-1", "99999001", "bravo-secret-zanzibar-feed.csv"]
