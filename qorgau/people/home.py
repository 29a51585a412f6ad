"""The people work queues on the home page (declared in registry.py).

Names appear as surname and initial only (Person.short_name), as in every list.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qorgau.core.home import WorkQueue, local_date
from qorgau.core.models import AuditEvent

from .lookups import FLAGGED, REFUSED
from .models import Consent, Person


def _person_url(person: Person) -> str:
    return reverse("people:person_detail", args=[person.pk])


def recent_persons(user: Any) -> QuerySet[Person]:
    """Persons the user registered in the last 14 days, newest first."""
    since = timezone.now() - timedelta(days=14)
    return (
        Person.objects.visible_to(user)
        .filter(created_by=user, created_at__gte=since)
        .order_by("-created_at", "-id")
    )


def _describe_person(person: Person) -> str:
    born = person.birth_date.year if person.birth_date else "—"
    return gettext("%(name)s, born %(year)s, registered %(date)s") % {
        "name": person.short_name,
        "year": born,
        "date": local_date(person.created_at),
    }


def expiring_consents(user: Any) -> QuerySet[Consent]:
    """Active consents in scope that expire within 14 days, soonest first."""
    now = timezone.now()
    return (
        Consent.objects.visible_to(user, "view")
        .filter(withdrawn_at__isnull=True, expires_at__gte=now, expires_at__lte=now + timedelta(days=14))
        .select_related("person", "receiving_agency")
        .order_by("expires_at", "id")
    )


def _describe_consent(consent: Consent) -> str:
    return gettext("%(name)s: %(purpose)s, %(agency)s, expires %(date)s") % {
        "name": consent.person.short_name,
        "purpose": consent.get_purpose_display(),
        "agency": consent.receiving_agency,
        "date": local_date(consent.expires_at),
    }


def flagged_lookups(user: Any) -> QuerySet[AuditEvent]:
    """Users in the auditor's scope who looked up many different IINs in the last 7 days."""
    since = timezone.now() - timedelta(days=7)
    return (
        AuditEvent.objects.visible_to(user)
        .filter(action__in=[FLAGGED, REFUSED], time__gte=since)
        .select_related("actor_agency")
        .order_by("-time", "-id")
    )


def _describe_flag(event: AuditEvent) -> str:
    text = (
        gettext("%(user)s: refused after %(n)s different IINs")
        if event.action == REFUSED
        else gettext("%(user)s: %(n)s different IINs within an hour")
    )
    line = text % {"user": event.actor_username or "—", "n": event.changes.get("distinct_iins", "?")}
    return f"{local_date(event.time)} · {line}"


QUEUES = [
    WorkQueue(
        "people-recent",
        title=_("Persons I registered recently"),
        empty_message=_("Persons you register will appear here for 14 days."),
        action="people.add",
        items=recent_persons,
        url_name="people:person_list",
        describe=_describe_person,
        link=_person_url,
        order=10,
    ),
    WorkQueue(
        "consents-expiring",
        title=_("Consents expiring in the next 14 days"),
        empty_message=_("Consents in your scope that expire within 14 days will appear here."),
        action="people.consent",
        items=expiring_consents,
        describe=_describe_consent,
        link=lambda consent: _person_url(consent.person),
        order=20,
    ),
    WorkQueue(
        "audit-iin-lookups",
        title=_("Many IIN look-ups by one user"),
        empty_message=_(
            "Staff in your scope who look up many different IINs in a short time will appear here."
        ),
        action="audit.view",
        items=flagged_lookups,
        url_name="core:audit_list",
        url_query=f"action={FLAGGED}",
        describe=_describe_flag,
        link=lambda event: None,
        order=52,
    ),
]
