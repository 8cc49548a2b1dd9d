"""Shared by the S7 tests: a trust with staff and credentials made through the ESR import."""

import io

from reporting.imports import import_commit, import_preview
from staffpassport.esr.kind import KIND
from staffpassport.esr.reading import HEADING
from staffpassport.models import AutoIssuanceSetting, Credential


def esr_file(*rows: str) -> io.BytesIO:
    return io.BytesIO(("\n".join([",".join(HEADING), *rows]) + "\n").encode())


def person_row(number: str, first: str, last: str, *, group="Administrative and Clerical", kind="Current") -> str:
    return f"{number},{first},{last},{first.lower()}@nhs.net,{group},,{kind},2020-01-01"


def esr_import_rows(centre, *rows: str, actor=None):
    preview = import_preview(KIND, file=esr_file(*rows), centre=centre)
    assert not preview.has_errors, preview.error_list()
    return import_commit(KIND, preview=preview, centre=centre, actor=actor, file_name="test.csv")


def manual_issue(centre, *codes: str) -> None:
    for code in codes:
        AutoIssuanceSetting.objects.update_or_create(
            centre=centre, credential=Credential.objects.get(code=code), defaults={"automatic": False}
        )


def required_codes(group: str = "administrative-clerical", kind: str = "current") -> list[str]:
    from staffpassport.models import CredentialsTemplate
    from staffpassport.selectors.templates import template_required_credentials

    template = CredentialsTemplate.objects.get(centre=None, staff_group__code=group, employment_types=kind)
    return [credential.code for credential in template_required_credentials(template)]
