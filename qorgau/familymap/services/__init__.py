from .rules import do_create_draft, do_publish, do_update_draft, published
from .runs import current_refresh, do_resume_run, do_start_dry_run, do_start_refresh, execute_run

__all__ = [
    "current_refresh",
    "do_create_draft",
    "do_publish",
    "do_resume_run",
    "do_start_dry_run",
    "do_start_refresh",
    "do_update_draft",
    "execute_run",
    "published",
]
