"""Settings for running the app on a laptop: SQLite, in-process tasks, emails on the console."""

from config.settings.base import *  # noqa: F403
from config.settings.env import env_bool

DEBUG = env_bool("DEBUG", True)

# Serve static files straight from the finders (no collectstatic needed locally).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
