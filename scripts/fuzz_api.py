"""Helpers of scripts/fuzz-api.sh (run with the environment that script sets).

fuzz_api.py users      two API users on the demo data: fuzz.national (national scope) and
                       fuzz.regional (Astana only), both with every action the API serves
fuzz_api.py free-port  a free TCP port on 127.0.0.1
"""

from __future__ import annotations

import os
import socket
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every action an API operation needs (people, consent, intake): the fuzzer should reach each handler,
# not stop at 403.
ACTIONS = [
    "people.view",
    "people.view_iin",
    "people.add",
    "people.change",
    "people.consent",
    "intake.view",
    "intake.add",
    "intake.change",
    "intake.outcome",
    "intake.reconcile",
    "cases.view",
    "cases.add",
    "cases.change",
    "cases.refer",
    "cases.close",
]


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
    import django

    django.setup()


def create_users() -> None:
    setup_django()
    from qorgau.core.models import Agency, AgencyType, Region, Role, User
    from qorgau.core.permissions import Scope

    astana = Region.objects.get(code="KZ-71")
    agency = Agency.objects.filter(region=astana, type=AgencyType.POLICE).order_by("pk").first()
    if agency is None:
        raise SystemExit("no police agency in Astana: load the demo data first")
    role, _ = Role.objects.update_or_create(
        slug="api_fuzzing", defaults={"name": "API fuzzing (CI only)", "actions": ACTIONS}
    )
    for username, scope in (("fuzz.national", Scope.NATIONAL), ("fuzz.regional", Scope.REGIONS)):
        user, _ = User.objects.update_or_create(
            username=username, defaults={"agency": agency, "role": role, "scope": scope, "is_active": True}
        )
        user.set_unusable_password()
        user.save()
        user.scope_regions.set([astana] if scope == Scope.REGIONS else [])
    record_a_consent(User.objects.get(username="fuzz.regional"))
    open_a_case(User.objects.get(username="fuzz.regional"))


def record_a_consent(actor: object) -> None:
    """The demo data set has no consents: one, so that the consent operations meet a real record."""
    import datetime as dt

    from django.utils import timezone

    from qorgau.core.models import Agency
    from qorgau.people.models import ConsentPurpose, Person
    from qorgau.people.services import do_record_consent

    person = Person.objects.visible_to(actor, "consent").order_by("pk").first()
    receiver = Agency.objects.filter(is_active=True).exclude(pk=actor.agency_id).order_by("pk").first()  # type: ignore[attr-defined]
    if person is None or receiver is None:
        raise SystemExit("no person or agency for a consent: load the demo data first")
    now = timezone.now()
    do_record_consent(
        actor=actor,  # type: ignore[arg-type]
        person=person,
        purpose=ConsentPurpose.values[0],
        receiving_agency=receiver,
        granted_at=now - dt.timedelta(days=1),
        expires_at=now + dt.timedelta(days=90),
    )


def open_a_case(actor: object) -> None:
    """A case with a qualified specialist's service and a referral, so that the cases operations on one
    record meet real rows (the demo data set of this run may have none)."""
    import datetime as dt

    from django.utils import timezone

    from qorgau.cases.services import (
        do_add_qualification,
        do_add_specialist,
        do_assign_service,
        do_open_case,
        do_refer_case,
    )
    from qorgau.core.models import Agency
    from qorgau.people.models import Person

    person = Person.objects.visible_to(actor, "view").order_by("-pk").first()
    receiver = Agency.objects.filter(is_active=True).exclude(pk=actor.agency_id).order_by("pk").first()  # type: ignore[attr-defined]
    if person is None or receiver is None:
        raise SystemExit("no person or agency for a case: load the demo data first")
    case = do_open_case(actor=actor, victim=person)  # type: ignore[arg-type]
    specialist = do_add_specialist(actor=actor, full_name="Fuzz Specialist")  # type: ignore[arg-type]
    do_add_qualification(
        actor=actor,  # type: ignore[arg-type]
        specialist=specialist,
        kind="legal",
        document_number="FUZZ-1",
        issuer="CI",
        valid_until=timezone.localdate() + dt.timedelta(days=90),
    )
    do_assign_service(actor=actor, case=case, type="legal", specialist=specialist)  # type: ignore[arg-type]
    do_refer_case(actor=actor, case=case, to_agency=receiver, purpose="consultation")  # type: ignore[arg-type]


def pinned_ids(username: str) -> None:
    setup_django()
    from qorgau.cases.models import Case, CaseService, CaseTransfer, Referral, Specialist
    from qorgau.core.models import User
    from qorgau.intake.models import PartyRole, ProtectiveOrder, Signal
    from qorgau.people.models import Consent, Family, Person

    user = User.objects.get(username=username)
    signals = Signal.objects.visible_to(user).filter(closed_at__isnull=True)
    picks = {
        # An open signal with an alleged offender: outcome and reconciliation reach the services' rules.
        r"^/api/intake/signals/\{id\}/": signals.filter(parties__role=PartyRole.OFFENDER),
        r"^/api/intake/protective-orders/\{id\}/": ProtectiveOrder.objects.visible_to(user),
        r"^/api/people/persons/\{id\}/": Person.objects.visible_to(user),
        r"^/api/people/families/\{id\}/": Family.objects.visible_to(user),
        r"^/api/people/consents/\{id\}/": Consent.objects.visible_to(user),
        r"^/api/cases/cases/\{id\}/": Case.objects.visible_to(user).filter(closed_at__isnull=True),
        r"^/api/cases/services/\{id\}/": CaseService.objects.visible_to(user),
        r"^/api/cases/referrals/\{id\}/": Referral.objects.visible_to(user),
        r"^/api/cases/transfers/\{id\}/": CaseTransfer.objects.visible_to(user),
        r"^/api/cases/specialists/\{id\}/": Specialist.objects.visible_to(user),
    }
    for pattern, queryset in picks.items():
        pk = queryset.order_by("pk").values_list("pk", flat=True).first()
        if pk is None:
            print(f"# no record for {pattern}")
            continue
        print("[[operations]]")
        print(f"include-path-regex = '{pattern}'")  # a TOML literal string: no escapes
        print(f'parameters = {{ "path.id" = {pk} }}')
        print()


def free_port() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        print(sock.getsockname()[1])


def is_up(url: str) -> bool:
    if not url.startswith("http://127.0.0.1:"):
        raise SystemExit("only the local server is polled")
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only (checked above)
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "users":
        create_users()
    elif command == "ids" and len(sys.argv) == 3:
        pinned_ids(sys.argv[2])
    elif command == "free-port":
        free_port()
    elif command == "up" and len(sys.argv) == 3:
        sys.exit(0 if is_up(sys.argv[2]) else 1)
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
