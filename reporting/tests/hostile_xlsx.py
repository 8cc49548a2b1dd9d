"""Hostile .xlsx files, built by writing the zip's parts directly (no openpyxl): what an
attacker (or a broken exporter) can upload. Shared by the upload-limit tests."""

import io
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_TYPE = f"{DOC_RELS}/worksheet"
STRINGS_TYPE = f"{DOC_RELS}/sharedStrings"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{strings}</Types>"
)
STRINGS_OVERRIDE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def inline_row(number: int, texts: list[str]) -> str:
    cells = "".join(
        f'<c r="{_column(index)}{number}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
        for index, text in enumerate(texts)
    )
    return f'<row r="{number}">{cells}</row>'


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def sheet_xml(rows: str, *, dimension: str = "A1", prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    ).encode()


def shared_strings_xml(count: int, *, declared: int | None = None) -> bytes:
    declared = count if declared is None else declared
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{declared}" uniqueCount="{declared}">'
        + "<si><t/></si>" * count
        + "</sst>"
    ).encode()


def xlsx(
    sheet: bytes, *, sheet_name: str, shared_strings: bytes | None = None, extra: dict[str, bytes] | None = None
) -> bytes:
    """A workbook of one sheet, its parts written as given (deflated at the highest level)."""
    relationships = f'<Relationship Id="rId1" Type="{SHEET_TYPE}" Target="worksheets/sheet1.xml"/>'
    if shared_strings is not None:
        relationships += f'<Relationship Id="rId2" Type="{STRINGS_TYPE}" Target="sharedStrings.xml"/>'
    parts = {
        "[Content_Types].xml": CONTENT_TYPES.format(
            strings=STRINGS_OVERRIDE if shared_strings is not None else ""
        ).encode(),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ).encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
            f'<sheets><sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">{relationships}</Relationships>'
        ).encode(),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    parts.update(extra or {})
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return stream.getvalue()
