"""Proficiency passports: frameworks, enrolment, self-assessment, confirmation, sign-off, records and certificates."""
