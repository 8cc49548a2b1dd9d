"""Passport views, one module per area (frameworks, staff, enrolment, learner, supervisor, records)."""
