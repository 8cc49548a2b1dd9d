"""Centre pages, one module per area: core (dashboard, choose a centre, audit, locked
accounts), registration, delegates, configuration, support."""
