"""Dynamic support register: referrals, history, outcomes and reports (issue 6; not built yet)."""
