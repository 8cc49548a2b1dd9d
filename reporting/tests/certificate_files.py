"""Certificate PDFs rendered by tests, kept in test-results/certificates/ (gitignored;
CERTIFICATES_DIR elsewhere: a pytest run with pytest-playwright empties test-results/ when it
starts) so a person can look at them: `pdftoppm -png -r 50 passport.pdf passport`."""

import os
from pathlib import Path

from django.conf import settings


def write_certificate_pdf(name: str, pdf: bytes) -> Path:
    assert pdf.startswith(b"%PDF")
    folder = Path(os.environ.get("CERTIFICATES_DIR") or Path(settings.BASE_DIR) / "test-results" / "certificates")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    return path
