"""Signal pages: the register (list and filters), the duty officer's fast form, a signal's page, the queue.

The registration form is one POST form that never loses what was typed: searching a person, picking one,
creating one inline and saving are buttons of the same form (`action`), so it works without JavaScript;
htmx swaps the re-rendered form in place. IINs and names travel only in POST bodies.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.http import require_safe

from qorgau.core.audit import record
from qorgau.core.models import District, User
from qorgau.core.pagination import IdFirstPaginator
from qorgau.core.panels import panels_for
from qorgau.core.permissions import has_action
from qorgau.core.ratelimit import RateLimited
from qorgau.core.views_base import ScopedDetailView, ScopedListView, htmx_partial
from qorgau.people.lookups import find_likely_duplicates, find_persons
from qorgau.people.models import Person
from qorgau.people.services import do_create_person

from .. import flows
from ..filters import SignalFilter
from ..forms import (
    AssignForm,
    FirstContactForm,
    NewPersonForm,
    PersonFindForm,
    ReconciliationForm,
    SignalForm,
    VictimDeclinedForm,
    new_idempotency_key,
    now_local,
)
from ..models import PartyRole, Signal, ViolenceForm
from ..queries import (
    PersonHistory,
    inspector_queue,
    party_role_counts,
    person_histories,
    signal_list,
    signal_parties,
    with_deadlines,
)
from ..services.signals import IDEMPOTENCY_KEY_MAX
from .common import RequireActionMixin, apply_errors, htmx_redirect, quiet

SEARCH_LIMIT = 20
PARTY_FIELDS = {"victim": "victims", "offender": "offenders", "child": "children", "reporter": "reporter"}
PARTY_LABELS = {
    "victim": _lazy("victim"),
    "offender": _lazy("alleged offender"),
    "child": _lazy("child"),
    "reporter": _lazy("reporter"),
}


# The register's sortable columns: `?sort=received` (oldest first) or `?sort=-received` (newest first).
SORTS = {"received": ("received_at", "id"), "number": ("registration_number",), "status": ("status", "id")}
DEFAULT_SORT = "-received"


def sort_fields(sort: str) -> tuple[str, ...]:
    key = sort.removeprefix("-")
    fields = SORTS.get(key) or SORTS["received"]
    descending = sort.startswith("-") if key in SORTS else DEFAULT_SORT.startswith("-")
    return tuple(f"-{f}" if descending else f for f in fields)


class SignalListView(ScopedListView):
    """The register: filters in the query string (nothing personal), no names, deadlines flagged."""

    model = Signal
    template_name = "intake/signal_list.html"
    context_object_name = "signals"
    paginator_class = IdFirstPaginator

    def get_queryset(self) -> QuerySet[Any]:
        self.filterset = SignalFilter(
            self.request.GET or None,
            queryset=signal_list(self.request.user),  # type: ignore[arg-type]
            request=self.request,
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return Signal.objects.none()
        sort = self.request.GET.get("sort", DEFAULT_SORT)
        self.sort = sort if sort.removeprefix("-") in SORTS else DEFAULT_SORT
        return self.filterset.qs.order_by(*sort_fields(self.sort))

    def sort_columns(self) -> dict[str, dict[str, str]]:
        """Per sortable column: the link that sorts by it (the other way if it is the current sort) and
        its aria-sort value ("" for a column the list is not sorted by)."""
        columns = {}
        for key in SORTS:
            current = self.sort.removeprefix("-") == key
            descending = self.sort.startswith("-")
            query = self.request.GET.copy()
            query.pop("page", None)
            query["sort"] = (key if descending else f"-{key}") if current else key
            columns[key] = {
                "url": f"?{query.urlencode()}",
                "aria_sort": ("descending" if descending else "ascending") if current else "",
            }
        return columns

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=self.filterset,
            form=self.filterset.form,
            filtered=bool(self.filterset.is_bound and self.filterset.used_filters()),
            can_add=has_action(user, "intake.add"),
            can_export=has_action(user, "intake.export"),
            export_query=query.urlencode(),
            sort_columns=self.sort_columns(),
        )
        return context

    def get_template_names(self) -> list[str]:
        if htmx_partial(self.request):
            return ["intake/signal_list.html#results"]
        return [self.template_name]


class InspectorQueueView(ScopedListView):
    """Open signals assigned to me, overdue first."""

    model = Signal
    template_name = "intake/inspector_queue.html"
    context_object_name = "signals"

    def get_queryset(self) -> QuerySet[Any]:
        return inspector_queue(self.request.user).select_related("outcome")  # type: ignore[arg-type]


@login_required
@require_safe  # a read: GET (and HEAD) only
def district_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of a region's districts (htmx: the district select follows the region)."""
    region = request.GET.get("region", "")
    districts = District.objects.filter(region=int(region)) if region.isdigit() else District.objects.none()
    return render(request, "intake/includes/district_options.html", {"districts": districts})


def histories_of(user: Any, ids: list[int], exclude_signal: Signal | None = None) -> list[PersonHistory]:
    by_id = {person.pk: person for person in Person.objects.visible_to(user).filter(pk__in=ids)}
    persons = [by_id[pk] for pk in dict.fromkeys(ids) if pk in by_id]
    return person_histories(user, persons, exclude_signal=exclude_signal)


class PersonHistoryView(LoginRequiredMixin, View):
    """The history panel of the chosen persons (htmx fragment). Persons by id, in a POST body or query."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not has_action(request.user, "intake.view"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[return-value]

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.panel(request, request.GET)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.panel(request, request.POST)

    def panel(self, request: HttpRequest, data: QueryDict) -> HttpResponse:
        ids = [
            int(v) for name in ("person", "victims", "offenders") for v in data.getlist(name) if v.isdigit()
        ]
        roles = {int(v): "victim" for v in data.getlist("victims") if v.isdigit()}
        roles |= {int(v): "offender" for v in data.getlist("offenders") if v.isdigit()}
        histories = histories_of(request.user, ids)
        for history in histories:
            # The panel shows a person's signals, outcomes and orders: a read of their record.
            record(actor=request.user, action="person.history", obj=history.person)  # type: ignore[arg-type]
        context = {"histories": histories, "roles": roles}
        return render(request, "intake/includes/history.html", context)


class SignalCreateView(RequireActionMixin, View):
    """The fast registration form. One `action` button at a time: refresh, search, pick, drop, create,
    save."""

    required_action = "intake.add"
    template_name = "intake/signal_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        agency = getattr(user, "agency", None)
        # The form's idempotency key is in its URL, so that Back after saving comes to this same URL and
        # is told that the form was saved, with a link to the signal, instead of an empty form.
        key = request.GET.get("key", "")
        if not key or len(key) > IDEMPOTENCY_KEY_MAX:
            return redirect(f"{reverse('intake:signal_create')}?key={new_idempotency_key()}")
        saved = (
            Signal.objects.visible_to(user)
            .filter(agency=getattr(agency, "pk", None), idempotency_key=key)
            .first()
        )
        if saved is not None:
            return render(request, self.template_name, {"saved": saved})
        initial = {
            "received_at": now_local(),
            "region": agency.region_id if agency else None,
            "idempotency_key": key,
        }
        form = SignalForm(initial=initial, user=user)  # type: ignore[arg-type]
        return self.render(request, form, PersonFindForm(prefix="find"), NewPersonForm(prefix="new"))

    def post(self, request: HttpRequest) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        data = request.POST.copy()
        if not data.get("idempotency_key"):
            data["idempotency_key"] = new_idempotency_key()
        action = data.get("action", "refresh")
        verb, _sep, rest = action.partition(":")
        find = PersonFindForm(data, prefix="find")
        new = NewPersonForm(data, prefix="new")
        found: list[Person] | None = None
        self.duplicates: list[Person] = []
        self.duplicate_role = ""
        # What a screen reader hears after a search, pick, create or removal (the page's live region).
        announcement = ""

        if verb in ("refresh", "search"):
            searched = find.is_valid() and find.has_criteria()
            if verb == "search" or searched:
                if searched:
                    try:
                        found = find_persons(
                            user,
                            iin=find.cleaned_data["iin"],
                            name=find.cleaned_data["name"],
                            context="signal_form",
                            limit=SEARCH_LIMIT,
                        )
                    except RateLimited as exc:
                        find.add_error(None, exc.message)
                    else:
                        announcement = (
                            ngettext("%(count)d person found.", "%(count)d persons found.", len(found))
                            % {"count": len(found)}
                            if found
                            else _("No person in your scope matches. Create the person below.")
                        )
                elif find.is_valid():
                    find.add_error(None, _("Enter an IIN or a name to search."))
            else:
                quiet(find)
        else:
            quiet(find)

        if verb == "create" and rest in PARTY_FIELDS:
            person = self.create_person(request, new, rest)
            if person is not None:
                self.add_party(data, rest, person.pk)
                announcement = _("%(name)s is added as %(role)s.") % {
                    "name": person.short_name,
                    "role": PARTY_LABELS[rest],
                }
                data = _without_prefix(data, "new")
                new = NewPersonForm(prefix="new")
        else:
            quiet(new)
        if verb == "pick":
            role, _sep, pk = rest.partition(":")
            picked = (
                Person.objects.visible_to(user).filter(pk=int(pk)).first()
                if role in PARTY_FIELDS and pk.isdigit()
                else None
            )
            if picked is not None:
                self.add_party(data, role, picked.pk)
                announcement = _("%(name)s is added as %(role)s.") % {
                    "name": picked.short_name,
                    "role": PARTY_LABELS[role],
                }
        if verb == "drop":
            role, _sep, pk = rest.partition(":")
            if role in PARTY_FIELDS:
                self.drop_party(data, role, pk)
                announcement = _("The person is removed from the signal.")

        form = SignalForm(data, user=user)
        if verb != "save":
            return self.render(request, quiet(form), find, new, found, announcement)  # type: ignore[arg-type]
        if not form.is_valid():
            return self.render(request, form, find, new, found)
        return self.save(request, form, find, new)

    def save(
        self, request: HttpRequest, form: SignalForm, find: PersonFindForm, new: NewPersonForm
    ) -> HttpResponse:
        data = form.cleaned_data
        victims, offenders, children = list(data["victims"]), list(data["offenders"]), list(data["children"])
        victim_at = {p.pk: i for i, p in enumerate(victims)}
        offender_at = {p.pk: i for i, p in enumerate(offenders)}
        involvement = form.child_involvements()
        try:
            signal = flows.register_signal(
                actor=request.user,  # type: ignore[arg-type]
                parties={
                    "reporter": [data["reporter"]] if data["reporter"] else [],
                    "victims": victims,
                    "offenders": offenders,
                    "children": children,
                },
                child_involvement=[involvement.get(p.pk, "") for p in children],
                pairs=[
                    flows.PairInput(offender_at[o], victim_at[v], relationship)
                    for o, v, relationship in form.relationship_pairs()
                    if o in offender_at and v in victim_at
                ],
                channel=data["channel"],
                received_at=data["received_at"],
                region=data["region"],
                district=data["district"],
                address=data["address"].strip(),
                anonymous_reporter=data["anonymous_reporter"],
                forms=data["violence_forms"],
                children_present=data["children_present"],
                weapon=data["weapon"],
                injuries=data["injuries"],
                alcohol_or_drugs=data["alcohol_or_drugs"],
                account=data["account"].strip(),
                idempotency_key=data["idempotency_key"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.render(request, form, find, new)
        except flows.IdempotencyConflict:
            form.add_error(None, _("This idempotency key was already used for a different signal."))
            return self.render(request, form, find, new)
        if signal.idempotent_replay:
            messages.info(
                request,
                _("This form was already saved: signal %(number)s. Nothing new was registered.")
                % {"number": signal.registration_number},
            )
        else:
            messages.success(
                request,
                _("Signal %(number)s is registered.") % {"number": signal.registration_number},
            )
        return htmx_redirect(request, reverse("intake:signal_detail", args=[signal.pk]))

    def create_person(self, request: HttpRequest, new: NewPersonForm, role: str) -> Person | None:
        if not has_action(request.user, "people.add"):
            new.add_error(None, _("Your role does not allow registering persons."))
            return None
        if not new.is_valid():
            return None
        fields = {k: v for k, v in new.cleaned_data.items() if v is not None and k != "confirm_new"}
        if not fields.get("iin") and not new.cleaned_data.get("confirm_new"):
            # Without an IIN nothing stops a second record of the same person: show who is already
            # registered with this name and birth date (only persons the user may see) before creating.
            self.duplicates = find_likely_duplicates(
                request.user,
                surname=fields.get("surname", ""),
                given_name=fields.get("given_name", ""),
                birth_date=fields.get("birth_date"),
                context="signal_form",
            )
            if self.duplicates:
                self.duplicate_role = role
                new.add_error(
                    None,
                    _(
                        "Persons with this name and birth date are already registered. Add the one it is, "
                        "or confirm that this is someone else and create again."
                    ),
                )
                return None
        try:
            person, created = do_create_person(actor=request.user, **fields)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(new, exc)
            return None
        except PermissionDenied as exc:
            new.add_error(None, str(exc))
            return None
        except RateLimited as exc:
            new.add_error(None, exc.message)
            return None
        if not created:
            messages.info(
                request,
                _("A person with this IIN is already registered: their record is used (%(name)s).")
                % {"name": person.short_name},
            )
        return person

    @staticmethod
    def add_party(data: QueryDict, role: str, pk: int) -> None:
        name = PARTY_FIELDS[role]
        if role == "reporter":
            data["reporter"] = str(pk)
            data.pop("anonymous_reporter", None)
            return
        values = [v for v in data.getlist(name) if v != str(pk)]
        data.setlist(name, [*values, str(pk)])

    @staticmethod
    def drop_party(data: QueryDict, role: str, pk: str) -> None:
        name = PARTY_FIELDS[role]
        data.setlist(name, [v for v in data.getlist(name) if v != pk])

    def render(
        self,
        request: HttpRequest,
        form: SignalForm,
        find: PersonFindForm,
        new: NewPersonForm,
        found: list[Person] | None = None,
        announcement: str = "",
    ) -> HttpResponse:
        user = request.user
        victim_ids, offender_ids = form.person_ids("victims"), form.person_ids("offenders")
        reporter_ids, child_ids = form.person_ids("reporter"), form.person_ids("children")
        chosen = {
            p.pk: p
            for p in Person.objects.visible_to(user).filter(
                pk__in=[*victim_ids, *offender_ids, *reporter_ids, *child_ids]
            )
        }
        involvement = {child: form[name] for name, child in form.child_fields}
        roles = dict.fromkeys(victim_ids, "victim") | dict.fromkeys(offender_ids, "offender")
        # Each person offered (found, or a likely duplicate) with their roles in earlier signals in scope.
        offered = [*(found or ()), *getattr(self, "duplicates", ())]
        counts = party_role_counts(user, offered)  # type: ignore[arg-type]
        for person in offered:
            person.earlier_roles = counts.get(person.pk, [])
        context = {
            "form": form,
            "find": find,
            "new": new,
            "found": found,
            "searched": found is not None,
            "victims": [chosen[pk] for pk in victim_ids if pk in chosen],
            "offenders": [chosen[pk] for pk in offender_ids if pk in chosen],
            "children": [(chosen[pk], involvement.get(pk)) for pk in child_ids if pk in chosen],
            "pair_fields": [form[name] for name, _o, _v in form.pairs],
            "reporter": next((chosen[pk] for pk in reporter_ids if pk in chosen), None),
            "histories": histories_of(user, [*victim_ids, *offender_ids]),
            "duplicates": getattr(self, "duplicates", []),
            "duplicate_role": getattr(self, "duplicate_role", ""),
            "roles": roles,
            "can_add_person": has_action(user, "people.add"),
            "announcement": announcement,
        }
        template = f"{self.template_name}#form" if htmx_partial(request) else self.template_name
        return render(request, template, context)


def _without_prefix(data: QueryDict, prefix: str) -> QueryDict:
    out = data.copy()
    for key in [k for k in out if k.startswith(f"{prefix}-")]:
        del out[key]
    return out


class SignalDetailView(ScopedDetailView):
    """A signal's page (an audited read): parties by name, deadlines, outcomes, orders, decisions, actions."""

    model = Signal
    template_name = "intake/signal_detail.html"
    context_object_name = "signal"

    def get_queryset(self) -> QuerySet[Any]:
        queryset = (
            super()
            .get_queryset()
            .select_related(
                "region",
                "district",
                "agency",
                "registered_by",
                "assigned_to",
                "outcome",
                "breach_of",
                "breach_of__signal",
                "first_contact_rule",
                "outcome_rule",
            )
        )
        return with_deadlines(queryset)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        signal: Signal = self.object
        user = self.request.user
        rows = signal_parties(user, signal)  # type: ignore[arg-type]
        parties = [row.party for row in rows]
        can = {
            action: has_action(user, f"intake.{action}")
            for action in ("change", "outcome", "reconcile", "add")
        }
        orders = list(
            signal.protective_orders.select_related("offender", "validity_rule", "check_interval_rule")
            .prefetch_related("checks", "victims")
            .order_by("-served_at", "-id")
        )
        involved = [p.person_id for p in parties if p.role in (PartyRole.VICTIM, PartyRole.OFFENDER)]
        roles = {p.person_id: p.role for p in parties}
        context.update(
            parties=rows,
            outcomes=list(signal.outcomes.select_related("recorded_by", "referred_agency", "order")),
            orders=orders,
            decisions=list(
                signal.reconciliation_decisions.select_related("rule_set", "rule", "offender", "decided_by")
            ),
            histories=histories_of(user, involved, exclude_signal=signal),
            roles=roles,
            can=can,
            form_labels=[label for value, label in ViolenceForm.choices if value in signal.forms],
            open=not signal.is_closed,
            breaches=list(
                Signal.objects.visible_to(user)
                .filter(breach_of__signal=signal)
                .only("id", "registration_number", "breach_of")
            ),
            # What higher apps add to the signal's page (core/panels.py): the victim's case, from cases.
            panels=panels_for(user, signal),
        )
        if can["change"]:
            context.update(
                assign_form=AssignForm(signal=signal, initial={"assignee": signal.assigned_to_id}),
                contact_form=FirstContactForm(initial={"contacted_at": now_local()}),
                declined_form=VictimDeclinedForm(initial={"declined_at": now_local()}),
            )
        if can["reconcile"]:
            context["reconcile_form"] = ReconciliationForm(signal=signal)
        return context
