"""The home page: the work queues of the signed-in user's role.

A work queue is a short list of things waiting for the user ("Consents expiring in the next 14 days").
Each app declares its queues in its `registry.py` (`Domain(queues=[...])`, collected by `core.domains`);
the home page shows every queue whose action the user's role grants, with a count, the first ten items
and a link to the full list. Deny by default: a user without a role or a scope sees a message instead of
queues.

A queue of a domain app (in its `home.py`, listed in its `registry.py`)::

    from qorgau.core.home import WorkQueue

    QUEUES = [
        WorkQueue(
            "cases-unassigned",
            title=_("Cases waiting for a worker"),
            empty_message=_("Cases opened in your scope without a worker will appear here."),
            action="cases.view",
            items=lambda user: Case.objects.visible_to(user).filter(worker=None).order_by("-opened_at"),
            url_name="cases:case_list",
            url_query="worker=none",
            describe=lambda case: f"{case.code} · {case.opened_at:%d.%m.%Y %H:%M}",
            order=10,
        ),
    ]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from .domains import collected
from .models import AuditEvent, User
from .permissions import Scope, has_action, in_scope

QUEUE_SIZE = 10


@dataclass(frozen=True)
class WorkQueue:
    """A work queue on the home page of every user whose role grants `action`.

    - `key`: unique slug, used in the queue's URL (`core:home_queue`) and element ids. Two apps declaring
      the same key fail `manage.py check` (qorgau.E010).
    - `title`: what the queue is ("Persons I registered recently"), translatable (gettext_lazy).
    - `empty_message`: what will appear there, shown when the queue is empty
      ("Persons you register will appear here.").
    - `action`: the action the user's role must grant, e.g. "cases.view".
    - `items(user)`: the queue's rows, most urgent first. It must start from
      `Model.objects.visible_to(user, action)` (ARCHITECTURE.md); the home page counts it and shows
      the first ten. A queryset is counted in the database; a list or tuple is used as is.
    - `url_name`, `url_query`: the full list (reversed strictly, so a typo fails the page and its tests).
    - `describe(item)`: the line shown for an item; persons' names stay masked, as in every list
      (`Person.short_name`).
    - `link(item)`: the item's page, or None; by default the item's `get_absolute_url()` if it has one.
    - `order`: position on the page (lower first); ties keep the INSTALLED_APPS order.
    """

    key: str
    title: str | Promise
    empty_message: str | Promise
    action: str
    items: Callable[[Any], QuerySet[Any] | Sequence[Any]]
    url_name: str | None = None
    url_query: str = ""
    describe: Callable[[Any], str] = str
    link: Callable[[Any], str | None] | None = None
    order: int = 100

    def item_url(self, row: Any) -> str | None:
        if self.link is not None:
            return self.link(row)
        return row.get_absolute_url() if hasattr(row, "get_absolute_url") else None

    def url(self) -> str | None:
        if self.url_name is None:
            return None
        url = reverse(self.url_name)
        return f"{url}?{self.url_query}" if self.url_query else url


def queues_for(user: Any) -> list[WorkQueue]:
    """The queues `user` may see, in page order; none for a user without a role or a scope."""
    if not has_role_and_scope(user):
        return []
    queues = [queue for queue in collected().queues if has_action(user, queue.action)]
    return sorted(queues, key=lambda queue: queue.order)


def has_role_and_scope(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role_id is not None
        and user.scope != Scope.NONE
    )


@dataclass(frozen=True)
class QueueItem:
    text: str
    url: str | None


@dataclass(frozen=True)
class FilledQueue:
    """A queue as the page shows it: its count and first items for one user."""

    queue: WorkQueue
    count: int
    items: list[QueueItem]
    url: str | None

    @property
    def key(self) -> str:
        return self.queue.key

    @property
    def title(self) -> str | Promise:
        return self.queue.title

    @property
    def empty_message(self) -> str | Promise:
        return self.queue.empty_message


def fill(queue: WorkQueue, user: Any) -> FilledQueue:
    rows = queue.items(user)
    if isinstance(rows, QuerySet):
        count = rows.count()
        first: Iterable[Any] = rows[:QUEUE_SIZE] if count else []
    else:
        count = len(rows)
        first = list(rows)[:QUEUE_SIZE]
    items = [QueueItem(text=queue.describe(row), url=queue.item_url(row)) for row in first]
    return FilledQueue(queue=queue, count=count, items=items, url=queue.url())


@login_required
@require_safe  # a read: GET (and HEAD) only
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "has_role_and_scope": has_role_and_scope(user),
        "queues": [fill(queue, user) for queue in queues_for(user)],
    }
    return render(request, "core/home.html", context)


@login_required
@require_safe  # a read: GET (and HEAD) only
def home_queue(request: HttpRequest, key: str) -> HttpResponse:
    """One queue as an htmx fragment (the queue's refresh button); 404 for a queue the user lacks."""
    queue = next((queue for queue in queues_for(request.user) if queue.key == key), None)
    if queue is None:
        raise Http404
    return render(request, "core/home.html#queue", {"queue": fill(queue, request.user)})


# The platform's own queues (audit and administration), declared in core/registry.py.


def local_date(value: Any) -> str:
    """A date or time as a short local date, for queue lines."""
    return formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")


def _datetime(value: Any) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _failed_logins(user: Any) -> QuerySet[AuditEvent]:
    since = timezone.now() - timedelta(hours=24)
    return AuditEvent.objects.visible_to(user).filter(action="auth.login_failed", time__gte=since)


def _lockouts(user: Any) -> QuerySet[AuditEvent]:
    since = timezone.now() - timedelta(days=7)
    return AuditEvent.objects.visible_to(user).filter(action="auth.locked_out", time__gte=since)


def _describe_event(event: AuditEvent) -> str:
    who = event.actor_username or "—"
    where = f" · {event.ip}" if event.ip else ""
    return f"{_datetime(event.time)} · {who}{where}"


def _users_without_second_factor(user: Any) -> QuerySet[User]:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # The accounts of the administrator's scope, by the agency they belong to (`User.scope_paths`).
    users = in_scope(User.objects.filter(is_active=True), User.scope_paths, user)
    totp = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    static = StaticDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return users.exclude(Exists(totp)).exclude(Exists(static)).select_related("agency").order_by("username")


def _describe_user(user: User) -> str:
    name = user.get_full_name()
    agency = f" ({user.agency})" if user.agency_id else ""
    return f"{user.username}{f' · {name}' if name else ''}{agency}"


QUEUES = [
    WorkQueue(
        "audit-failed-logins",
        title=_("Failed logins in the last 24 hours"),
        empty_message=_("Failed sign-in attempts in your scope will appear here."),
        action="audit.view",
        items=_failed_logins,
        url_name="core:audit_list",
        url_query="action=auth.login_failed",
        describe=_describe_event,
        order=50,
    ),
    WorkQueue(
        "audit-lockouts",
        title=_("Account lockouts"),
        empty_message=_(
            "Accounts locked after repeated failed sign-ins in the last 7 days will appear here."
        ),
        action="audit.view",
        items=_lockouts,
        url_name="core:audit_list",
        url_query="action=auth.locked_out",
        describe=_describe_event,
        order=51,
    ),
    WorkQueue(
        "users-without-2fa",
        title=_("Users without a second factor"),
        empty_message=_("Active users in your scope who have not set up a second factor will appear here."),
        action="core.admin",
        items=_users_without_second_factor,
        url_name="admin:index",
        describe=_describe_user,
        order=60,
    ),
]
