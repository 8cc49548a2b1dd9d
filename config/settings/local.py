"""Settings for running the app on a laptop: SQLite, in-process tasks, emails on the console."""

from config.settings.base import *  # noqa: F403
from config.settings.env import env_bool

DEBUG = env_bool("DEBUG", True)
