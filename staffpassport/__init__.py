"""Staff passport system settings (issue 15): credentials, templates and job roles. The app holds no code yet."""
