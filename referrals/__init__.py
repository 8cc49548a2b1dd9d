"""Dynamic support register: referrals, history, notes, outcomes, archive, dashboard and reports."""
