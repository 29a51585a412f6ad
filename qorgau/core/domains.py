"""Each app declares itself to core; core collects the declarations and names no domain itself.

An installed app that has a `registry.py` module with a `DOMAIN = Domain(...)` in it takes part: its
actions (with descriptions), the default roles it brings, what it grants to default roles, its menu
entries, its API (`register(router)` in a module), its home-page work queues, its URL include and its
background schedules. Core reads the modules of the installed apps in INSTALLED_APPS order, which is
the dependency order (core first, then each domain after those it builds on), the way NetBox's
registries collect what each app registers. Nothing is registered by import side effect: the
collection is computed from the installed apps, so a settings module (or `modify_settings` in a test)
that installs one more app shows it in the menu, the action catalogue, the default roles and the API
without a change to core.

An app's `registry.py` is imported once the app registry is ready (by the first page, the first API
request, the admin, `load_reference`), never while models load; it may import the app's own modules.
`manage.py check` reports a declaration that does not add up (check `qorgau.E010`).

Labels and descriptions are lazy translations (`gettext_lazy`): the collection is built once per set
of installed apps and serves every language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache, cached_property
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

if TYPE_CHECKING:
    from .home import WorkQueue
    from .panels import Panel
    from .permissions import Opening

REGISTRY_MODULE = "registry"
PROJECT_PACKAGE = "qorgau."


@dataclass(frozen=True)
class RoleSpec:
    """A default role: what `load_reference` creates when the role does not exist yet."""

    name: str | Promise
    description: str | Promise
    scope: str  # the default scope of the role's demo users (core.permissions.Scope)


@dataclass(frozen=True)
class MenuEntry:
    """One item of the main menu, linking to the URL named `url_name` (reversed strictly: a typo fails
    every page and the shell tests). Shown when the user's role grants `action`, to every signed-in
    user when `action` is None, or when `allowed(user)` holds if given (for rules that are not one
    action). Lower `order` first; ties keep the INSTALLED_APPS order."""

    key: str
    label: str | Promise
    url_name: str
    action: str | None = None
    order: int = 100
    allowed: Callable[[Any], bool] | None = None

    def shows_for(self, user: Any) -> bool:
        from .permissions import has_action

        if self.allowed is not None:
            return self.allowed(user)
        return self.action is None or has_action(user, self.action)


@dataclass(frozen=True)
class UrlInclude:
    """The app's pages: `path(prefix, include(module))` in the root URL configuration."""

    prefix: str
    module: str


@dataclass(frozen=True)
class Schedule:
    """A background task enqueued every `every` (at most once per interval) by `manage.py
    enqueue_schedules`, which a timer runs every minute (docs/operations.md). `task` is the dotted
    path of a `django.tasks` task."""

    key: str
    task: str
    every: timedelta


@dataclass(frozen=True)
class Domain:
    """What one app declares (in `<app>/registry.py` as `DOMAIN`).

    - `actions`: every action the app checks, code -> description (`"cases.view": _("see cases")`).
    - `roles`: default roles the app brings, slug -> RoleSpec (core brings the platform's roles).
    - `grants`: default role slug -> the app's own actions that role gets on a fresh installation.
    - `menu`: its menu entries.
    - `api`: the dotted path of a module with `register(router)`, or None.
    - `queues`: its home-page work queues (`core.home.WorkQueue`).
    - `urls`: its URL includes.
    - `schedules`: its periodic background tasks.
    - `panels`: panels it adds to a lower app's detail page (`core.panels.Panel`).
    - `openings`: rows of a lower app that its visible rows open (`core.permissions.Opening`).
    """

    actions: Mapping[str, str | Promise] = field(default_factory=dict)
    roles: Mapping[str, RoleSpec] = field(default_factory=dict)
    grants: Mapping[str, Sequence[str]] = field(default_factory=dict)
    menu: Sequence[MenuEntry] = ()
    api: str | None = None
    queues: Sequence[WorkQueue] = ()
    urls: Sequence[UrlInclude] = ()
    schedules: Sequence[Schedule] = ()
    panels: Sequence[Panel] = ()
    openings: Sequence[Opening] = ()


@dataclass(frozen=True)
class DefaultRole:
    slug: str
    name: str | Promise
    description: str | Promise
    actions: tuple[str, ...]
    scope: str


@dataclass(frozen=True)
class Collected:
    """The declarations of the installed apps, in INSTALLED_APPS order."""

    domains: tuple[tuple[str, Domain], ...]  # (app label, declaration)

    @property
    def actions(self) -> dict[str, str | Promise]:
        return {code: text for _label, domain in self.domains for code, text in domain.actions.items()}

    @property
    def api_actions(self) -> frozenset[str]:
        """The actions of the apps that have an API: holding one of them makes the API worth showing."""
        return frozenset(code for _label, domain in self.domains if domain.api for code in domain.actions)

    def default_roles(self) -> dict[str, DefaultRole]:
        specs = {slug: spec for _label, domain in self.domains for slug, spec in domain.roles.items()}
        actions: dict[str, list[str]] = {slug: [] for slug in specs}
        for _label, domain in self.domains:
            for slug, granted in domain.grants.items():
                actions[slug].extend(granted)
        return {
            slug: DefaultRole(slug, spec.name, spec.description, tuple(actions[slug]), spec.scope)
            for slug, spec in specs.items()
        }

    @property
    def menu(self) -> list[MenuEntry]:
        entries = [entry for _label, domain in self.domains for entry in domain.menu]
        return sorted(entries, key=lambda entry: entry.order)

    @property
    def api_modules(self) -> list[str]:
        return [domain.api for _label, domain in self.domains if domain.api]

    @property
    def queues(self) -> list[WorkQueue]:
        return [queue for _label, domain in self.domains for queue in domain.queues]

    @property
    def urls(self) -> list[UrlInclude]:
        return [include for _label, domain in self.domains for include in domain.urls]

    @property
    def schedules(self) -> list[Schedule]:
        return [schedule for _label, domain in self.domains for schedule in domain.schedules]

    @cached_property
    def panels(self) -> tuple[Panel, ...]:
        return tuple(panel for _label, domain in self.domains for panel in domain.panels)

    @cached_property
    def openings(self) -> tuple[Opening, ...]:
        # Read by every visible_to(): computed once per collection.
        return tuple(opening for _label, domain in self.domains for opening in domain.openings)


def problems(collected: Collected) -> list[str]:
    """What does not add up: an action, menu key, queue, role, schedule or panel declared twice; a grant
    of an action the app does not declare, or to a role no app declares; a menu entry, queue or panel
    needing an action nobody declares; a panel or opening naming a model that is not installed."""
    found: list[str] = []
    owner: dict[tuple[str, str], str] = {}
    for label, domain in collected.domains:
        names = [
            *(("action", code) for code in domain.actions),
            *(("role", slug) for slug in domain.roles),
            *(("menu entry", entry.key) for entry in domain.menu),
            *(("work queue", queue.key) for queue in domain.queues),
            *(("schedule", schedule.key) for schedule in domain.schedules),
            *(("panel", f"{panel.model.lower()}/{panel.key}") for panel in domain.panels),
        ]
        for kind, name in names:
            if (kind, name) in owner:
                found.append(f"{label}: the {kind} {name!r} is already declared by {owner[kind, name]}.")
            owner[kind, name] = label
    roles = {slug for _label, domain in collected.domains for slug in domain.roles}
    known = collected.actions
    for label, domain in collected.domains:
        for slug, granted in domain.grants.items():
            if slug not in roles:
                found.append(f"{label}: grants to the role {slug!r}, which no installed app declares.")
            found.extend(
                f"{label}: grants {code!r} to {slug!r}, an action it does not declare itself."
                for code in granted
                if code not in domain.actions
            )
        needed = [
            *(entry.action for entry in domain.menu),
            *(queue.action for queue in domain.queues),
            *(panel.action for panel in domain.panels),
        ]
        found.extend(
            f"{label}: needs the action {code!r}, which no installed app declares."
            for code in needed
            if code is not None and code not in known
        )
        models = [
            *(panel.model for panel in domain.panels),
            *(model for opening in domain.openings for model in (opening.model, opening.through)),
        ]
        for model in models:
            try:
                apps.get_model(model)
            except (LookupError, ValueError):
                found.append(f"{label}: names the model {model!r}, which is not installed.")
    return found


@cache
def _collect(app_names: tuple[tuple[str, str], ...]) -> Collected:
    domains = []
    for name, label in app_names:
        module_name = f"{name}.{REGISTRY_MODULE}"
        if find_spec(module_name) is None:
            continue
        domain = getattr(import_module(module_name), "DOMAIN", None)
        if isinstance(domain, Domain):
            domains.append((label, domain))
        elif domain is not None or name.startswith(PROJECT_PACKAGE):
            # A third-party app may have a `registry` module of its own; ours must declare.
            raise ImproperlyConfigured(f"{module_name} must define DOMAIN = Domain(...).")
    return Collected(tuple(domains))


def collected() -> Collected:
    """The declarations of the installed apps (computed once per set of installed apps)."""
    apps.check_apps_ready()
    return _collect(tuple((config.name, config.label) for config in apps.get_app_configs()))


def check_domains(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """System check qorgau.E010: the installed apps' declarations add up (see `problems`)."""
    from django.core import checks

    return [checks.Error(problem, id="qorgau.E010") for problem in problems(collected())]
