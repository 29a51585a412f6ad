"""The settings in development mode, for tools that import them without the Makefile's QORGAU_ENV.

pyproject.toml points pytest (DJANGO_SETTINGS_MODULE) and mypy's Django plugin here, so that
`.venv/bin/python -m pytest ...` and `.venv/bin/mypy qorgau` work on a fresh clone. It forces the mode
rather than defaulting it: the test suite is written against development settings whatever the shell
says. Deployments use qorgau.settings, which is production unless QORGAU_ENV=development.
"""

import os

os.environ["QORGAU_ENV"] = "development"

from qorgau.settings import *  # noqa: F403
