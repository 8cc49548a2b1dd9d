"""Staff passport system settings: credentials, templates and job roles (not built yet)."""
