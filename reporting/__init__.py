"""Report jobs (Excel and PDF) built by workers, with progress and download (not built yet)."""
