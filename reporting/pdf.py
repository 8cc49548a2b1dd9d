"""The one PDF renderer: Jinja2-rendered HTML laid out by WeasyPrint.

Templates carry their CSS inline. The URL fetcher refuses everything but `data:` URIs, so
building a PDF never touches the network or the file system (an image or stylesheet link in
user-supplied HTML cannot make the worker fetch it). Features build the HTML; this module
knows nothing about them.
"""

from typing import IO

PDF_CONTENT_TYPE = "application/pdf"

# WeasyPrint is imported when a PDF is first made, not with this module: importing it costs
# about 2 s of CPU and parses its stylesheets (logging each step), which every web process,
# worker and manage.py command would otherwise pay at start-up for the few that make PDFs.


def local_url_fetcher():
    """A WeasyPrint URL fetcher that allows only `data:` URIs: no http(s), no file://."""
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 - lazily: see above

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


def pdf_document(html: str):
    """Lay `html` out as pages (a WeasyPrint Document): `len(document.pages)`, `write_pdf()`."""
    from weasyprint import HTML  # noqa: PLC0415 - lazily: see above

    return HTML(string=html, base_url=None, url_fetcher=local_url_fetcher()).render()


def pdf_write(*, html: str, stream: IO[bytes]) -> int:
    """Write `html` as a PDF to `stream`; returns the number of pages."""
    document = pdf_document(html)
    document.write_pdf(target=stream)
    return len(document.pages)


def pdf_bytes(html: str) -> bytes:
    """`html` as PDF bytes (small documents, such as a one-page certificate, in the request)."""
    return pdf_document(html).write_pdf()


def pdf_text(document) -> str:
    """The text WeasyPrint laid out on a document's pages, whitespace collapsed: what tests
    check a PDF says (pypdf is not a dependency)."""
    parts = []
    for page in document.pages:
        for box in page._page_box.descendants(placeholders=True):  # absolutely positioned ones too
            text = getattr(box, "text", None)
            if isinstance(text, str):
                parts.append(text)
    return " ".join(" ".join(parts).split())
