"""The DLS "DelegatesBulkUpload" workbook layout (seed 000), shared by download and upload (U1-U3)."""

DELEGATES_SHEET = "DelegatesBulkUpload"
JOB_GROUPS_SHEET = "JobGroups"

COLUMNS = [
    "LastName",
    "FirstName",
    "DelegateID",
    "AliasID",
    "JobGroupID",
    "Answer1",
    "Answer2",
    "Answer3",
    "Answer4",
    "Answer5",
    "Answer6",
    "Active",
    "EmailAddress",
    "HasPRN",
    "PRN",
]
