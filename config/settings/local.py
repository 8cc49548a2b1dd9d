"""Settings for running the app on a laptop: SQLite, in-process tasks, emails on the console."""

from config.settings.base import *  # noqa: F403
from config.settings.env import env_bool

# Off unless asked for: `make run` sets DEBUG=1. Django's debug 500 page shows the settings
# (database and Redis addresses), so nothing else should get it by accident.
DEBUG = env_bool("DEBUG", False)

# Serve static files straight from the finders (no collectstatic needed locally).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
