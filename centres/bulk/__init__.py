"""U1-U5 bulk upload of delegates (the DLS "DelegatesBulkUpload" workbook): columns and the
template/current workbook (`download`), reading (`reading`), the per-column checks
(`checks`) and the row classifier (`validation`), the one-transaction save (`commit`), the
pages' workflow with the worker (`uploads`) and the import kind that runs it on
`reporting.imports` (`kind`). ADR 0008, 0009, 0020, 0028."""
