"""Every write of the portal: keyword-only do_* functions, one transaction each, audited inside."""

from .activities import do_change_activity, do_record_activity
from .content import do_publish_page
from .messages import do_add_to_message, do_send_message

__all__ = [
    "do_add_to_message",
    "do_change_activity",
    "do_publish_page",
    "do_record_activity",
    "do_send_message",
]
