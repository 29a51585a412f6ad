"""The permission engine: one place that decides what a user may see and do.

Every model holding personal data declares how it relates to a region, an agency and an owner
(`scope = ScopePaths(...)`) and uses `ScopedManager`. `Model.objects.visible_to(user, action)` then
returns exactly the rows the user's role (the action) and scope (the rows) allow. Deny by default:
anonymous, inactive, role-less or scope-less users get an empty queryset.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
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
    """

    domain: str
    region: str | tuple[str, ...] | None = None
    agency: str | tuple[str, ...] | None = None
    own: tuple[str, ...] = ()

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


def scope_q(paths: ScopePaths, user: User) -> Q | None:
    """The filter for `user`'s scope, or None when the scope grants nothing."""
    own = _any(paths.own, "", user.pk)
    has_own = bool(paths.own)
    match user.scope:
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
    def visible_to(self, user: Any, action: str = "view") -> ScopedQuerySet:
        """Rows `user` may `action` (an action of the model's domain, e.g. 'view', 'change')."""
        paths: ScopePaths = self.model.scope  # type: ignore[attr-defined]
        if not has_action(user, f"{paths.domain}.{action}"):
            return self.none()
        q = scope_q(paths, user)
        if q is None:
            return self.none()
        return self.filter(q)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
