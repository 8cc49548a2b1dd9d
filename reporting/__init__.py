"""Shared file machinery: report jobs (Excel and PDF) built by workers, with progress and download."""
