"""The route matrix: every URL pattern and every method it answers has a scope case, or an exemption.

Each app declares its cases in `<app>/tests/matrix.py` (`CASES`, `EXEMPT`, and builders of the objects its
cases need, registered with `@builds("name")`); `core/tests/test_route_matrix.py` walks the resolver of
the site's urlconf and fails when a (route, method) has neither a case nor an exemption with a reason, when
a case names a route or method that does not exist, and when a case leaves a dimension undeclared. Every
case then runs the four dimensions against the shipped default roles:

- anonymous: a page sends to the login page (302), the API answers 401;
- no role (`outsider`, an active user without role or scope): 403;
- other region: the object is built in Astana; a Shymkent twin of the permitted user (same role, same kind
  of scope, a Shymkent agency of the same type) gets 404 on object routes, and on lists does not see it;
- permitted: the expected status (a write really writes).

A refused write (every dimension but the permitted one, any method but GET) may write no audit row other
than `<model>.denied`: the refusal changed nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from .models import Agency, AuditEvent, User
from .permissions import Scope
from .testing import AgencyFactory, Personas, UserFactory, otp_login

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
AUTO = -1  # other_region: 404 on an object route, 200 (with `shows`) elsewhere
# Audit rows of reads: a refused request may write these (a search is audited), never a write's.
READ_ACTIONS = (".denied", ".view", ".list", ".search", ".history")
# Route keys under these prefixes are exempt as a whole (the value says why).
EXEMPT_PREFIXES = {
    "admin:": "the Django admin: staff only (is_staff), querysets scoped in core/admin.py (test_admin.py)",
    "admin/": "the Django admin's unnamed redirects and catch-all (staff only)",
}


@dataclass(frozen=True)
class Route:
    """One named URL (or an unnamed pattern, keyed by its path) and the methods its view answers."""

    key: str
    path: str
    methods: frozenset[str]
    api: bool
    has_kwargs: bool
    lists: bool  # a GET that renders rows (a list view or a DRF list action)


def _unwrap_methods(callback: Any) -> frozenset[str] | None:
    """The methods of a function view limited by `require_http_methods` (the decorator keeps them in its
    closure), or None when nothing limits them."""
    func = callback
    while func is not None:
        try:
            allowed = inspect.getclosurevars(func).nonlocals.get("request_method_list")
        except (TypeError, ValueError):
            allowed = None
        if allowed:
            return frozenset(m.upper() for m in allowed) & frozenset(METHODS)
        func = getattr(func, "__wrapped__", None)
    return None


def _view_methods(callback: Any) -> tuple[frozenset[str], bool, bool]:
    """(methods, is_api, lists) of a resolved callback."""
    actions = getattr(callback, "actions", None)
    if actions:  # a DRF viewset route: the router maps each method to an action
        methods = frozenset(m.upper() for m in actions) & frozenset(METHODS)
        return methods, True, actions.get("get") == "list"
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        names = getattr(view_class, "http_method_names", [])
        methods = frozenset(m.upper() for m in names if hasattr(view_class, m)) & frozenset(METHODS)
        from django.views.generic.list import MultipleObjectMixin

        lists = issubclass(view_class, MultipleObjectMixin)
        return methods, hasattr(callback, "cls"), lists
    # A function view answers every method unless a decorator limits them: it needs a case for GET and
    # POST at least (a case may expect 405 for the one it refuses).
    return _unwrap_methods(callback) or frozenset({"GET", "POST"}), False, False


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern if not namespace else _Named(pattern, namespace)


class _Named:
    """A URLPattern seen through its namespace (its `name` qualified, as reverse() spells it)."""

    def __init__(self, pattern: URLPattern, namespace: str) -> None:
        self.pattern = pattern.pattern
        self.callback = pattern.callback
        self.name = f"{namespace}:{pattern.name}" if pattern.name else None


def enumerate_routes(urlconf: str | None = None) -> dict[str, Route]:
    """Every route of `urlconf` (the site's by default) by key: the URL name, or the path when unnamed.
    Patterns sharing a name (DRF's format-suffix twins) are one route with the union of their methods."""
    routes: dict[str, Route] = {}
    for path, pattern in _walk(get_resolver(urlconf).url_patterns):
        methods, api, lists = _view_methods(pattern.callback)
        key = pattern.name or path
        has_kwargs = bool(set(pattern.pattern.regex.groupindex) - {"format"})
        if key in routes:
            old = routes[key]
            methods = methods | old.methods
            has_kwargs = has_kwargs and old.has_kwargs
            path = old.path
        routes[key] = Route(key, path, methods, api, has_kwargs, lists)
    return routes


# --- the world the cases run in ------------------------------------------------------------------------

BUILDERS: dict[str, Callable[[World], Any]] = {}


def builds(name: str) -> Callable[[Callable[[World], Any]], Callable[[World], Any]]:
    """Register how to build `world[name]` (built on first use, once per test)."""

    def register(func: Callable[[World], Any]) -> Callable[[World], Any]:
        BUILDERS[name] = func
        return func

    return register


class World:
    """The personas (shipped default roles), their Shymkent twins, and objects built lazily by name."""

    def __init__(self, personas: Personas) -> None:
        self.p = personas
        self._objects: dict[str, Any] = {}
        self._twins: dict[str, User] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._objects:
            self._objects[name] = BUILDERS[name](self)
        return self._objects[name]

    def user(self, name: str) -> User:
        """A persona by name, or a user built by a registered builder (an agency administrator ...)."""
        found = getattr(self.p, name, None) or self[name]
        return User.objects.get(pk=found.pk)

    def twin(self, name: str) -> User:
        """A user like persona `name` (role, kind of scope, agency type) who works in Shymkent."""
        if name not in self._twins:
            user = self.user(name)
            if user.scope in (Scope.NATIONAL, Scope.NONE) or user.agency is None:
                raise ValueError(f"{name} has no region to differ by; choose a regional persona")
            agency = Agency.objects.filter(type=user.agency.type, region=self.p.shymkent).first()
            agency = agency or AgencyFactory.create(type=user.agency.type, region=self.p.shymkent)
            twin = UserFactory.create(
                username=f"twin_{name}",
                agency=agency,
                role=user.role,
                scope=user.scope,
                regions=[self.p.shymkent] if user.scope == Scope.REGIONS else None,
            )
            self._twins[name] = User.objects.get(pk=twin.pk)
        return self._twins[name]


# --- cases ----------------------------------------------------------------------------------------------

Builder = Callable[[World], Any]


@dataclass(frozen=True)
class Case:
    """The four dimensions of one (route, method).

    `kwargs` builds the URL's arguments from the world (the object lives in Astana); `data` the body (form
    fields for pages, JSON for the API). `expect` is what `permitted` gets. `other_region` is what the
    permitted user's Shymkent twin gets: 404 on object routes; on a list 200 with `shows` (a text that is
    in the permitted user's answer and must not be in the twin's). Any other value, `None` (no Shymkent
    dimension) or a `no_role` other than 403 needs `why`.
    """

    route: str
    method: str
    permitted: str
    expect: int
    kwargs: Builder | None = None
    data: Builder | None = None
    query: str = ""
    no_role: int = 403
    other_region: int | None = AUTO
    shows: Builder | None = None
    check: Callable[[World, Any], None] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    why: str = ""

    @property
    def id(self) -> str:
        return f"{self.route} {self.method}"

    def other_region_status(self, route: Route) -> int | None:
        if self.other_region != AUTO:
            return self.other_region
        return 404 if route.has_kwargs else 200


def load_registry() -> tuple[list[Case], dict[str, str]]:
    """Every app's `tests/matrix.py` (CASES, EXEMPT); an app of ours without one declares nothing."""
    cases: list[Case] = []
    exempt: dict[str, str] = dict(EXEMPT_PREFIXES)
    for config in apps.get_app_configs():
        if not config.name.startswith("qorgau."):
            continue
        module_name = f"{config.name}.tests.matrix"
        if importlib.util.find_spec(f"{config.name}.tests") is None:
            continue
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        cases.extend(getattr(module, "CASES", []))
        exempt.update(getattr(module, "EXEMPT", {}))
    return cases, exempt


def _exempt(key: str, exempt: dict[str, str]) -> bool:
    return key in exempt or any(key.startswith(p) for p in exempt if p.endswith((":", "/")))


def missing_cases(routes: dict[str, Route], cases: list[Case], exempt: dict[str, str]) -> list[str]:
    """(route, method) pairs that no case covers and no exemption excuses."""
    covered = {(c.route, c.method) for c in cases}
    return sorted(
        f"{key} {method} ({route.path})"
        for key, route in routes.items()
        if not _exempt(key, exempt)
        for method in route.methods
        if (key, method) not in covered
    )


def registry_problems(urlconf: str | None = None) -> list[str]:
    """Everything the route-enumeration test fails on, for `urlconf` (the site's by default)."""
    routes = enumerate_routes(urlconf)
    cases, exempt = load_registry()
    return [f"no case: {m}" for m in missing_cases(routes, cases, exempt)] + declaration_errors(
        routes, cases, exempt
    )


def declaration_errors(routes: dict[str, Route], cases: list[Case], exempt: dict[str, str]) -> list[str]:
    """What is wrong with the declarations themselves: a partial case fails here, not silently."""
    errors = [f"exemption of {key} without a reason" for key, why in exempt.items() if not why.strip()]
    seen: set[tuple[str, str]] = set()
    for case in cases:
        route = routes.get(case.route)
        if (case.route, case.method) in seen:
            errors.append(f"{case.id}: declared twice")
        seen.add((case.route, case.method))
        if route is None:
            errors.append(f"{case.id}: no such route")
            continue
        if case.method not in route.methods:
            errors.append(f"{case.id}: the view does not answer {case.method} ({sorted(route.methods)})")
        if _exempt(case.route, exempt):
            errors.append(f"{case.id}: both exempt and covered")
        if route.has_kwargs and case.kwargs is None:
            errors.append(f"{case.id}: the route takes arguments but the case builds none (kwargs)")
        if case.no_role != 403 and not case.why:
            errors.append(f"{case.id}: no role answers {case.no_role}, not 403: say why")
        other = case.other_region_status(route)
        if other is None and not case.why:
            errors.append(f"{case.id}: no other-region dimension: say why")
        if route.has_kwargs and other not in (404, None) and not case.why:
            errors.append(f"{case.id}: an object route answers the other region {other}: say why")
        if route.lists and case.method == "GET" and case.shows is None:
            errors.append(f"{case.id}: a list: declare `shows` (a row of Astana the twin must not see)")
        elif other == 200 and case.shows is None and not case.why:
            errors.append(f"{case.id}: the other region gets 200: declare `shows` (what it must not see)")
    return errors


# --- running a case -------------------------------------------------------------------------------------


def _send(client: Any, route: Route, case: Case, url: str, data: Any) -> Any:
    method = case.method.lower()
    if route.api:
        return getattr(client, method)(url, data, format="json", headers=case.headers)
    if method == "get":
        return client.get(url, data or {}, headers=case.headers)
    if method == "post":
        return client.post(url, data or {}, headers=case.headers)
    from urllib.parse import urlencode

    body = urlencode(data or {}, doseq=True)
    return client.generic(
        case.method, url, body, content_type="application/x-www-form-urlencoded", headers=case.headers
    )


def _client(route: Route, user: User | None) -> Any:
    client: Any = APIClient() if route.api else Client()
    return otp_login(client, user) if user is not None else client


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(response: Any) -> str:
    """The answer as text; a spreadsheet as the text of its cells."""
    content = getattr(response, "content", b"")
    if response.get("Content-Type", "").startswith(XLSX):
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(v) for sheet in book for r in sheet.iter_rows(values_only=True) for v in r if v)
    return content.decode(errors="replace") if isinstance(content, bytes) else str(content)


def _why(response: Any) -> str:
    """What a failed answer says: the form's error messages of a page, else the start of the body."""
    import re

    text = _text(response)
    errors = re.findall(r'(?:invalid-feedback|role="alert")[^>]*>(.*?)</', text, flags=re.S)
    return " | ".join(e.strip() for e in errors if e.strip()) or text[:600]


def run_case(case: Case, route: Route, world: World) -> None:
    kwargs = case.kwargs(world) if case.kwargs else None
    url = reverse(case.route, kwargs=kwargs)
    url = f"{url}?{case.query}" if case.query else url
    data = case.data(world) if case.data else None
    marker = str(case.shows(world)) if case.shows else None

    def refused(label: str, user: User | None, expected: int) -> Any:
        client = _client(route, user)  # signing in writes its own audit row, before the request
        before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = _send(client, route, case, url, data)
        assert response.status_code == expected, f"{label}: {response.status_code}, expected {expected}"
        if case.method != "GET":
            written = AuditEvent.objects.filter(pk__gt=before)
            for suffix in READ_ACTIONS:
                written = written.exclude(action__endswith=suffix)
            assert not written.exists(), f"{label}: a refused write wrote {list(written.values('action'))}"
        return response

    anonymous = refused("anonymous", None, 401 if route.api else 302)
    if not route.api:
        assert "/accounts/login/" in anonymous["Location"], "anonymous: not sent to the login page"
    refused("no role", world.user("outsider"), case.no_role)
    other = case.other_region_status(route)
    if other is not None:
        response = refused("other region", world.twin(case.permitted), other)
        if marker is not None:
            assert marker not in _text(response), f"other region sees {marker!r}"
    response = _send(_client(route, world.user(case.permitted)), route, case, url, data)
    detail = _why(response) if response.status_code != case.expect else ""
    assert response.status_code == case.expect, f"permitted: {response.status_code}, {detail}"
    if response.status_code in (301, 302):
        assert "/accounts/" not in response["Location"], f"permitted: sent to {response['Location']}"
    if marker is not None:
        assert marker in _text(response), f"permitted does not see {marker!r}"
    if case.check is not None:
        case.check(world, response)
