"""The risk writes (every one audited): instruments, assessments, the risk conference."""

from .assessments import do_save_assessment, do_start_assessment
from .conferences import (
    do_add_action,
    do_build_agenda,
    do_complete_action,
    do_record_meeting,
    do_schedule_conference,
)
from .instruments import (
    do_add_referral_rule_version,
    do_create_draft,
    do_publish_version,
    do_remove_item,
    do_save_item,
    do_update_draft,
)

__all__ = [
    "do_add_action",
    "do_add_referral_rule_version",
    "do_build_agenda",
    "do_complete_action",
    "do_create_draft",
    "do_publish_version",
    "do_record_meeting",
    "do_remove_item",
    "do_save_assessment",
    "do_save_item",
    "do_schedule_conference",
    "do_start_assessment",
    "do_update_draft",
]
