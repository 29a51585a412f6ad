"""Every write of the people domain: keyword-only do_* functions, one transaction each, audited inside.

The UI views and the API viewsets call these same functions; none of them writes a model directly. Each
re-checks, before committing, that the actor can still see what was written. Errors: `PermissionDenied`
when the actor's role lacks the action or the object is out of their scope, `ValidationError({field:
message})` for bad input, nothing saved.
"""

from .consent import do_record_consent, do_withdraw_consent
from .families import do_add_family_member, do_create_family, do_remove_family_member
from .persons import PERSON_DETAIL_FIELDS, PERSON_FIELDS, UNCHANGED, do_create_person, do_update_person

__all__ = [
    "PERSON_DETAIL_FIELDS",
    "PERSON_FIELDS",
    "UNCHANGED",
    "do_add_family_member",
    "do_create_family",
    "do_create_person",
    "do_record_consent",
    "do_remove_family_member",
    "do_update_person",
    "do_withdraw_consent",
]
