"""Proficiency passports: frameworks, self-assessment, confirmation and sign-off (issue 5; not built yet)."""
