"""U1: the "DelegatesBulkUpload" workbook (blank template or the centre's current delegates).

The workbook is built with openpyxl's normal (not write-only) mode because data validations
(the drop-down lists), cell comments and frozen panes need it. That holds the whole sheet in
memory, which is fine for the size of a centre's delegate list (tens of thousands of rows at
most). Every query is made once, whatever the number of delegates.

Sheets:

- `DelegatesBulkUpload`: the `COLUMNS` header row (the upload reads these exact headers), then
  one row per delegate when asked. The AnswerN headers keep their exact text; the centre's
  prompt is shown as a comment on the header cell.
- `JobGroups`: JobGroupID and JobGroupName, sorted by id.
- `Prompts` (hidden): one column per prompt that has options, the source of the drop-downs
  (a range rather than an inline list, so long option lists work).

Every text cell is formula-escaped with `reporting.excel.escape_text`.
"""

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from centres.bulk.columns import COLUMNS, DELEGATES_SHEET, JOB_GROUPS_SHEET
from centres.models import Centre, JobGroup, Membership, RegistrationPrompt
from reporting.excel import escape_text

PROMPTS_SHEET = "Prompts"
LAST_ROW = 1_048_576  # drop-downs cover every row a person may add, not just the ones written
CHUNK_SIZE = 2000
COMMENT_AUTHOR = "Learning and Support Platform"

COLUMN_WIDTHS = {
    "LastName": 22,
    "FirstName": 20,
    "DelegateID": 14,
    "AliasID": 16,
    "JobGroupID": 12,
    "Active": 9,
    "EmailAddress": 34,
    "HasPRN": 9,
    "PRN": 16,
}
ANSWER_WIDTH = 20

# Membership fields in COLUMNS order (None: the column is filled separately).
_FIELDS = [
    "user__last_name",
    "user__first_name",
    "delegate_number",
    "alias_id",
    "job_group_id",
    "answer1",
    "answer2",
    "answer3",
    "answer4",
    "answer5",
    "answer6",
    "is_active",
    "user__email",
    "has_prn",
    "prn",
]


def _cell(value: Any) -> Any:
    """Text escaped; numbers, booleans and blanks as they are."""
    if isinstance(value, str):
        return escape_text(value) if value else None
    return value


def _column(name: str) -> str:
    return get_column_letter(COLUMNS.index(name) + 1)


def _list_validation(formula: str, title: str, prompt: str) -> DataValidation:
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
    validation.error = prompt
    validation.errorTitle = title
    validation.prompt = prompt
    validation.promptTitle = title
    validation.showErrorMessage = True
    validation.showInputMessage = True
    return validation


PROGRESS_EVERY = 500  # rows


def _delegate_rows(*, centre: Centre, include_prn: bool, progress=None):
    delegates = (
        Membership.objects.for_centre(centre)
        .order_by("user__last_name", "user__first_name", "delegate_number")
        .values_list(*_FIELDS)
    )
    total = delegates.count() if progress is not None else 0
    for done, values in enumerate(delegates.iterator(chunk_size=CHUNK_SIZE)):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
        row = [_cell(value) for value in values]
        if not include_prn:
            row[-2:] = [None, None]
        yield row


def delegates_workbook(*, centre: Centre, include_delegates: bool, include_prn: bool = True) -> bytes:
    """The workbook as .xlsx bytes. `include_delegates=False` gives the blank template.
    `include_prn=False` leaves HasPRN and PRN blank (for someone who may not see PRNs)."""
    stream = io.BytesIO()
    delegates_workbook_write(stream=stream, centre=centre, include_delegates=include_delegates, include_prn=include_prn)
    return stream.getvalue()


def delegates_workbook_write(
    *, stream, centre: Centre, include_delegates: bool, include_prn: bool = True, progress=None
) -> int:
    """Write the workbook to `stream`; returns the number of delegate rows. The current
    delegates' workbook is built by a worker (centres.background), never in a request."""
    prompts = {
        prompt.position: prompt
        for prompt in RegistrationPrompt.objects.for_centre(centre).only("position", "text", "options")
    }
    job_groups = list(JobGroup.objects.order_by("id").values_list("id", "name"))

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DELEGATES_SHEET
    bold = Font(bold=True)
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    for name in COLUMNS:
        sheet.column_dimensions[_column(name)].width = COLUMN_WIDTHS.get(name, ANSWER_WIDTH)

    count = 0
    if include_delegates:
        for row in _delegate_rows(centre=centre, include_prn=include_prn, progress=progress):
            sheet.append(row)
            count += 1

    # JobGroups sheet, and the JobGroupID drop-down that refers to it.
    groups_sheet = workbook.create_sheet(JOB_GROUPS_SHEET)
    groups_sheet.append(["JobGroupID", "JobGroupName"])
    for cell in groups_sheet[1]:
        cell.font = bold
    for group_id, name in job_groups:
        groups_sheet.append([group_id, _cell(name)])
    groups_sheet.freeze_panes = "A2"
    groups_sheet.column_dimensions["A"].width = 12
    groups_sheet.column_dimensions["B"].width = 50

    validations = []
    true_false = '"TRUE,FALSE"'
    validations.append(
        (_list_validation(true_false, "Active", "TRUE for an active delegate, FALSE for inactive."), "Active")
    )
    validations.append(
        (
            _list_validation(true_false, "HasPRN", "TRUE or FALSE, or leave blank if not known."),
            "HasPRN",
        )
    )
    if job_groups:
        groups_range = f"{quote_sheetname(JOB_GROUPS_SHEET)}!$A$2:$A${len(job_groups) + 1}"
        validations.append(
            (
                _list_validation(groups_range, "JobGroupID", f"A job group id from the {JOB_GROUPS_SHEET} sheet."),
                "JobGroupID",
            )
        )

    # Prompt labels on the AnswerN headers; options through the hidden Prompts sheet.
    prompts_sheet = None
    for position in range(1, 7):
        header = sheet[f"{_column(f'Answer{position}')}1"]
        prompt = prompts.get(position)
        if prompt is None:
            header.comment = Comment(f"Answer{position}: not used at {centre.code}; leave blank.", COMMENT_AUTHOR)
            continue
        note = f"Answer{position}: {prompt.text}"
        if prompt.options:
            note += " (choose from the list)"
        header.comment = Comment(escape_text(note), COMMENT_AUTHOR)
        if prompt.options:
            if prompts_sheet is None:
                prompts_sheet = workbook.create_sheet(PROMPTS_SHEET)
                prompts_sheet.sheet_state = "hidden"
            letter = get_column_letter(position)
            prompts_sheet[f"{letter}1"] = _cell(prompt.text)
            for row, option in enumerate(prompt.options, start=2):
                prompts_sheet[f"{letter}{row}"] = _cell(str(option))
            options_range = f"{quote_sheetname(PROMPTS_SHEET)}!${letter}$2:${letter}${len(prompt.options) + 1}"
            validations.append(
                (
                    _list_validation(options_range, f"Answer{position}"[:32], escape_text(prompt.text)[:255]),
                    f"Answer{position}",
                )
            )

    for validation, column in validations:
        letter = _column(column)
        validation.add(f"{letter}2:{letter}{LAST_ROW}")
        sheet.add_data_validation(validation)

    workbook.save(stream)
    return count
