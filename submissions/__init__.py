"""Submission tokens: every create form is saved once per render, however often it is posted
(double clicks, the back button, a retried request), and unique-constraint races end in the
form's ordinary message. Knows no feature; see docs/adr/0021-submission-tokens.md."""
