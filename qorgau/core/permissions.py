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
    has no such relation, and users whose scope rests on it see none of its rows through it.
    `own` paths are checked for every scope: a user always sees what is assigned to them.
    """

    domain: str
    region: str | None = None
    agency: str | None = None
    own: tuple[str, ...] = ()


def scope_q(paths: ScopePaths, user: User) -> Q | None:
    """The filter for `user`'s scope, or None when the scope grants nothing."""
    own = Q()
    for path in paths.own:
        own |= Q(**{path: user.pk})
    has_own = bool(paths.own)
    match user.scope:
        case Scope.NATIONAL:
            return Q()
        case Scope.REGIONS if paths.region and user.region_ids:
            q = Q(**{f"{paths.region}__in": sorted(user.region_ids)})
            return q | own if has_own else q
        case Scope.AGENCY if paths.agency and user.agency_id:
            q = Q(**{paths.agency: user.agency_id})
            return q | own if has_own else q
        case Scope.NONE:
            return None
    return own if has_own else None


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
