"""The permission engine: one place that decides what a user may see and do.

Every model holding personal data declares how it relates to a region, an agency and an owner
(`scope = ScopePaths(...)`) and uses `ScopedManager`. `Model.objects.visible_to(user, action)` then
returns exactly the rows the user's role (the action) and scope (the rows) allow, plus the rows of
objects shared with the user or their agency by an active grant (`core.models.Grant`, `core/grants.py`).
Deny by default: anonymous, inactive, role-less or scope-less users get an empty queryset, grants or not.

Tables that are not personal data but are still matched against a user's scope (the users and agencies an
administrator or auditor works with) declare `scope_paths` and go through `in_scope`, so that there is one
matching rule for every scope check.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import User


class Scope(models.TextChoices):
    NONE = "none", _("nothing (no access)")
    OWN = "own", _("own assignments")
    AGENCY = "agency", _("own agency")
    REGIONS = "regions", _("selected regions")
    NATIONAL = "national", _("national")


@dataclass(frozen=True)
class ScopePaths:
    """Where a model's rows point to their domain, region, agency and owner (ORM lookup paths).

    `domain` names the action namespace (`people` -> `people.view`). A path of None means the model
    has no such relation, and users whose scope rests on it see none of its rows through it. A tuple of
    paths means "any of them" (an audit row belongs both to the actor's agency and to the owner of the
    record it is about).
    `own` paths are checked for every scope: a user always sees what is assigned to them.
    `grant` names the object a row is shared through: "" for the row itself (a signal, a case), a path
    for rows reached through it ("signal" for a signal's parties); None (the default) means rows of the
    model are never opened by a grant.
    `grant_section` (with `grant`) opens the rows only through grants whose `sections` include it: a
    case referred for legal help opens its assessments only when the referral's purpose names the
    "assessment" section (`cases.models.SECTIONS`).
    """

    domain: str
    region: str | tuple[str, ...] | None = None
    agency: str | tuple[str, ...] | None = None
    own: tuple[str, ...] = ()
    grant: str | None = None
    grant_section: str | None = None

    @staticmethod
    def _paths(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
        if value is None:
            return ()
        return (value,) if isinstance(value, str) else value

    @property
    def region_paths(self) -> tuple[str, ...]:
        return self._paths(self.region)

    @property
    def agency_paths(self) -> tuple[str, ...]:
        return self._paths(self.agency)


def _any(paths: tuple[str, ...], lookup: str, value: Any) -> Q:
    q = Q()
    for path in paths:
        q |= Q(**{f"{path}{lookup}": value})
    return q


def scope_q(paths: ScopePaths, user: User, scope: str | None = None) -> Q | None:
    """The filter for `user`'s scope, or None when the scope grants nothing; an empty Q() is everything.

    `scope` replaces the user's own for one check: the administration reaches no further than the
    administrator's agency unless they are national (`core/admin.py`).
    """
    own = _any(paths.own, "", user.pk)
    has_own = bool(paths.own)
    match scope or user.scope:
        case Scope.NATIONAL:
            return Q()
        case Scope.REGIONS if paths.region_paths and user.region_ids:
            q = _any(paths.region_paths, "__in", sorted(user.region_ids))
            return q | own if has_own else q
        case Scope.AGENCY if paths.agency_paths and user.agency_id:
            q = _any(paths.agency_paths, "", user.agency_id)
            return q | own if has_own else q
        case Scope.NONE:
            return None
    return own if has_own else None


def in_scope[M: models.Model](
    queryset: models.QuerySet[M], paths: ScopePaths, user: Any, scope: str | None = None
) -> models.QuerySet[M]:
    """`queryset` narrowed to the rows `user`'s scope reaches by `paths` (no role check, no grants).

    For tables matched against a scope outside `visible_to`: the users without a second factor on an
    administrator's home page, the agencies an auditor may pick. Anonymous and inactive users get nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    q = scope_q(paths, user, scope)
    return queryset.none() if q is None else queryset.filter(q)


def _model_at(model: type[models.Model], path: str) -> type[models.Model]:
    """The model at the end of a lookup path (`Signal`, "" -> Signal; `SignalParty`, "signal" -> Signal)."""
    for name in filter(None, path.split("__")):
        related = model._meta.get_field(name).related_model
        if not isinstance(related, type):
            raise ValueError(f"{model.__name__}.{name} is not a relation: cannot grant through it.")
        model = related
    return model


def grant_target_model(model: type[models.Model]) -> type[models.Model] | None:
    """The model whose objects are shared to open rows of `model` (None: rows are never granted)."""
    paths: ScopePaths | None = getattr(model, "scope", None)
    if not isinstance(paths, ScopePaths) or paths.grant is None:
        return None
    return _model_at(model, paths.grant)


def grant_q(model: type[models.Model], user: Any, action: str) -> Q | None:
    """The rows of `model` opened to `user` for `action` by a grant active now, or None.

    A grant names one object and either a user or an agency. A grant to an agency opens the object to its
    staff whose scope covers their agency (agency, regions, national); a user with the `own` scope sees
    only what is assigned to them, so only a grant naming them opens an object to them. No scope at all
    (`none`) stops grants too. The moment is taken at each call: a grant that expired or was revoked a
    second ago opens nothing on the next request.
    """
    from .models import Grant  # the model module imports this one

    target = grant_target_model(model)
    if target is None:
        return None
    paths: ScopePaths = model.scope  # type: ignore[attr-defined]
    grants = Grant.objects.active(timezone.now()).to(user).allowing(action).of_model(target)
    path = f"{paths.grant or 'pk'}__in"
    section = paths.grant_section
    if section is None:
        return Q(**{path: grants.values("object_id")})
    # Sections are a JSON list, which SQLite cannot search in SQL; a user holds few grants.
    to_pk = target._meta.pk.to_python
    rows = grants.values_list("object_id", "sections")
    return Q(**{path: sorted({to_pk(oid) for oid, sections in rows if section in (sections or [])})})


@dataclass(frozen=True)
class Opening:
    """Rows of one model opened to a user by the visible rows of another model that point to them.

    A user who sees a signal must be able to open its parties' person records: `people.Person` rows are
    opened by the `intake.SignalParty` rows the user sees, through `SignalParty.person`. The app that owns
    the pointing model declares the opening (`Domain(openings=[...])` in its registry.py, collected by
    core.domains), so that the opened app never imports it. Only the listed `actions` are opened
    (reading, never changing); the pointing rows are taken with `through_action` and their own scope and
    grants. Both models are named by label ("people.Person") and resolved at query time.

    `through_grants=False` opens the rows only to users who see the pointing rows by their own scope: a
    victim's case opens her person record to the agency that owns the case, not to an agency the case is
    referred to, whose grant names the sections of the case it may read (the person record is none of
    them).
    """

    model: str  # "app_label.ModelName" of the opened rows
    through: str  # "app_label.ModelName" of the pointing rows
    field: str  # the field of `through` that points to the opened model
    actions: frozenset[str] = frozenset({"view"})
    through_action: str = "view"
    through_grants: bool = True


def openings_of(model: type[models.Model]) -> tuple[Opening, ...]:
    from .domains import collected

    label = model._meta.label_lower
    return tuple(opening for opening in collected().openings if opening.model.lower() == label)


def opening_q(
    model: type[models.Model],
    user: Any,
    action: str,
    *,
    grants: bool = True,
    among: Collection[Any] | None = None,
) -> Q | None:
    """The rows of `model` opened to `user` for `action` by the openings declared on it, or None.

    `among` (primary keys) narrows the pointing rows to those that point to these rows: the subquery then
    reads a few rows by index instead of every pointing row the user sees."""
    from django.apps import apps

    q: Q | None = None
    for opening in openings_of(model):
        if action not in opening.actions:
            continue
        through = apps.get_model(opening.through)
        pointing = through.objects.visible_to(
            user, opening.through_action, grants=grants and opening.through_grants
        )
        if among is not None:
            pointing = pointing.filter(**{f"{opening.field}__in": among})
        rows = Q(pk__in=pointing.order_by().values(opening.field))
        q = rows if q is None else q | rows
    return q


def work_region_ids(user: Any) -> frozenset[int] | None:
    """The regions where `user` may create records: None for national scope (everywhere).

    Reading follows `scope_q`; creating is narrower. A regional user works in the selected regions; an
    agency or own-scope user in the region of their agency (a national body's staff without national
    scope work nowhere). A record for another region is handed over by an explicit transfer.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    match user.scope:
        case Scope.NATIONAL:
            return None
        case Scope.REGIONS:
            return frozenset(user.region_ids)
        case Scope.AGENCY | Scope.OWN:
            region_id = user.agency.region_id if user.agency_id else None
            return frozenset({region_id}) if region_id else frozenset()
    return frozenset()


def may_work_in(user: Any, region: Any) -> bool:
    """True when `user` may create or move records into `region` (a Region or its id)."""
    regions = work_region_ids(user)
    region_id = getattr(region, "pk", region)
    return regions is None or region_id in regions


def has_action(user: Any, action: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.can(action))


class ScopedQuerySet(models.QuerySet):
    def visible_to(
        self,
        user: Any,
        action: str = "view",
        *,
        grants: bool = True,
        among: Collection[Any] | None = None,
    ) -> ScopedQuerySet:
        """Rows `user` may `action` (an action of the model's domain, e.g. 'view', 'change').

        The role must grant `<domain>.<action>`; then the rows come from the user's scope, or from a grant
        active now that allows `action` on the object the row is shared through (`ScopePaths.grant`), or
        from the visible rows of another model that open them (`Opening`: a signal's parties).
        `grants=False` leaves grants out: sharing an object onward is for those who hold it by their own
        scope, not for those it was shared with (`core/grants.py`).
        `among` (primary keys) asks about these rows only, and narrows the openings' subqueries with them:
        "which of these ten persons may the user see" without reading every party the user sees.
        """
        paths: ScopePaths = self.model.scope  # type: ignore[attr-defined]
        if not has_action(user, f"{paths.domain}.{action}"):
            return self.none()
        rows = self if among is None else self.filter(pk__in=among)
        q = scope_q(paths, user)
        if q is not None and not q:
            return rows.all()  # national: everything (an empty Q ORed with a grant would narrow it)
        extra = [
            grant_q(self.model, user, action) if grants else None,
            opening_q(self.model, user, action, grants=grants, among=among),
        ]
        for more in extra:
            if more is not None:
                q = more if q is None else q | more
        return rows.none() if q is None else rows.filter(q)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
