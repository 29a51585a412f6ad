"""The referrals, consents and transfers of one demo case (`CaseBuilder` in cases_build.py inherits them), as
bulk rows that keep the invariants of the cases services (see cases.py)."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from ..foundation import HOME_REGION
from .bulk import Row
from .cases_calibration import (
    COMPLETE_NOTES,
    CONSENT_NOTES,
    CONSULTATION_SHARE,
    CROSS_REGION_SHELTER,
    DECLINE_REASONS,
    LEGAL_MANDATE,
    MANDATE_REASON,
    MANDATE_SHARE,
    REFER,
    REFERRAL_NOTES,
    REVOKE_REASONS,
    TRANSFER_DECLINE_REASONS,
    TRANSFER_REASONS,
    WAITING_HOURS,
    WITHDRAWAL_REASONS,
)

if TYPE_CHECKING:
    from .cases import _Generation
    from .cases_build import Spec

H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def _local(at: dt.datetime) -> dt.date:
    return timezone.localdate(at)


class CaseReferrals:
    """Referrals, consents and transfers of the case being built (state set by `CaseBuilder.build`)."""

    gen: _Generation
    rng: random.Random
    spec: Spec
    case: Any
    consent_rule_days: dict[dt.date, int]
    open_statuses: Any
    closed_statuses: Any

    if TYPE_CHECKING:

        def specialist(self, kind: str, day: dt.date) -> Any: ...

    def transfer(self, kind: str, at: dt.datetime | None) -> None:
        rng, gen, spec = self.rng, self.gen, self.spec
        others = [c for c in gen.f.regions if c != spec.agency.region.code]
        target_code = rng.choice(others)
        if kind == "requested" and spec.agency.region.code != HOME_REGION and rng.random() < 0.5:
            target_code = HOME_REGION  # the demo region's centre has hand-overs waiting too
        to_agency = gen.staff.agencies[(target_code, "crisis_centre")]
        acceptor = rng.choice(gen.staff.workers[(target_code, "crisis_centre")])
        case = self.case
        values: dict[str, Any] = {
            "case_id": case.id,
            "from_agency_id": spec.agency.pk,
            "to_agency_id": to_agency.pk,
            "status": kind,
            "reason": rng.choice(TRANSFER_REASONS),
            "requested_by_id": spec.worker.pk,
        }
        if kind == "accepted":
            assert at is not None
            values |= {
                "requested_at": at - H * rng.uniform(1, 72),
                "decided_by_id": acceptor.pk,
                "decided_at": at,
            }
            case.agency_id, case.region_id, case.district_id = (
                to_agency.pk,
                to_agency.region_id,
                to_agency.district_id,
            )
            case.assigned_to_id = acceptor.pk
        elif kind == "declined":
            requested = max(gen.now - DAY * rng.uniform(5, 100), case.opened_at + H)
            values |= {
                "requested_at": requested,
                "decided_by_id": acceptor.pk,
                "decided_at": min(requested + H * rng.uniform(2, 72), gen.now),
                "decline_reason": rng.choice(TRANSFER_DECLINE_REASONS),
            }
        else:
            values["requested_at"] = max(gen.now - H * rng.uniform(1, 240), case.opened_at + H * 0.1)
        gen.add("cases.CaseTransfer", **values)
        gen.stats.transfers[kind] = gen.stats.transfers.get(kind, 0) + 1

    # referrals, consents, grants

    def referrals(
        self,
        needs: list[str],
        assessed: dt.datetime,
        end: dt.datetime,
        *,
        open_period: bool,
        transfer_at: dt.datetime | None,
    ) -> set[str]:
        """Referrals for needs the agency sends elsewhere; returns those needs (not served here)."""
        rng, gen, spec = self.rng, self.gen, self.spec
        code = spec.agency.region.code
        referred: set[str] = set()
        plan: list[tuple[Any, str, str | None]] = []  # (to agency, purpose, fixed status)
        if spec.home_wait is not None:
            plan.append((gen.staff.agencies[(HOME_REGION, "crisis_centre")], "shelter", "requested"))
            referred.add("shelter")
        for need in needs:
            target = REFER.get(spec.type_, {}).get(need)
            if target is None or need in referred:
                continue
            to_type, purpose, share = target
            qualified_here = self.specialist(need, _local(assessed)) is not None
            if rng.random() < share or not qualified_here:
                plan.append((gen.staff.agencies[(code, to_type)], purpose, None))
                referred.add(need)
        if spec.type_ == "crisis_centre" and "shelter" in needs and rng.random() < CROSS_REGION_SHELTER:
            other = rng.choice([c for c in gen.f.regions if c != code])
            plan.append((gen.staff.agencies[(other, "crisis_centre")], "shelter", None))
        if rng.random() < CONSULTATION_SHARE:
            adviser = "crisis_centre" if spec.type_ == "ngo" else "ngo"
            plan.append((gen.staff.agencies[(code, adviser)], "consultation", None))
        for to_agency, purpose, status in plan:
            if status is None:
                # A transferred case's referrals ended before the hand-over.
                ended_only = not open_period or transfer_at is not None
                statuses, weights = self.closed_statuses if ended_only else self.open_statuses
                status = rng.choices(statuses, weights)[0]
            self.referral(to_agency, gen.purposes[purpose], status, assessed, end)
        return referred

    def _times(self, lo: dt.datetime, hi: dt.datetime) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
        rng = self.rng
        span = (hi - lo).total_seconds() / 3600
        requested = lo + H * rng.uniform(1, max(1.0, min(240.0, 0.3 * span)))
        decided = requested + H * rng.uniform(
            2, max(2.0, min(96.0, 0.3 * (hi - requested).total_seconds() / 3600))
        )
        ended = decided + DAY * rng.uniform(3, 60)
        if ended >= hi - H * 0.5:
            ended = decided + (hi - decided) * rng.uniform(0.2, 0.9)
        return requested, decided, ended

    def referral(
        self, to_agency: Any, purpose: Any, status: str, assessed: dt.datetime, end: dt.datetime
    ) -> None:
        from qorgau.cases.services.referrals import WITHDRAWN

        rng, gen, spec = self.rng, self.gen, self.spec
        now = gen.now
        lo = assessed + H * 0.5
        if end - lo < 12 * H:
            return
        receivers = gen.staff.workers.get((to_agency.region.code, to_agency.type), [])
        if not receivers:
            return
        receiver = rng.choice(receivers)
        decided: dt.datetime | None
        ended: dt.datetime | None
        if status == "requested":
            hours = spec.home_wait if spec.home_wait is not None else rng.uniform(*WAITING_HOURS)
            requested, decided, ended = max(now - H * hours, lo), None, None
            need_until = now + DAY * rng.uniform(10, 60)
        elif status == "accepted":
            decided = now - DAY * rng.uniform(1, 80)
            requested = decided - H * rng.uniform(2, 96)
            if requested < lo:
                requested = lo + (now - lo) * rng.uniform(0.05, 0.3)
                decided = requested + (now - requested) * rng.uniform(0.05, 0.5)
            ended, need_until = None, now + DAY * rng.uniform(10, 60)
        else:
            requested, decided, ended = self._times(lo, end)
            need_until = decided
            if status == "revoked" and rng.random() < 0.4:
                status = "revoked_unanswered"
            if status == "revoked_unanswered":
                ended, decided = decided, None
                need_until = requested
        withdrawn = status == "revoked_withdrawn"
        consent = None
        mandate = purpose.discloses_identity and not withdrawn and rng.random() < MANDATE_SHARE
        if purpose.discloses_identity and not mandate:
            consent = self.consent(
                to_agency, purpose.consent_purpose, requested, need_until, exclusive=withdrawn
            )
            if withdrawn:
                assert decided is not None and ended is not None
                consent.withdrawn_at = decided + (ended - decided) * rng.uniform(0.3, 0.95)
                consent.withdrawal_reason = rng.choice(WITHDRAWAL_REASONS)
        values: dict[str, Any] = {
            "case_id": self.case.id,
            "to_agency_id": to_agency.pk,
            "purpose_id": purpose.pk,
            "note": REFERRAL_NOTES.get(purpose.code, ""),
            "consent_id": consent.id if consent is not None else None,
            "legal_mandate": LEGAL_MANDATE if mandate else "",
            "mandate_reason": MANDATE_REASON if mandate else "",
            "requested_by_id": spec.worker.pk,
            "requested_at": requested,
            "grant_id": None,
        }
        final = "revoked" if status.startswith("revoked") else status
        grant_row: Row | None = None
        values["status"] = final
        if status != "requested" and status != "revoked_unanswered":
            assert decided is not None
            values |= {"decided_by_id": receiver.pk, "decided_at": decided}
        if status == "declined":
            values["decline_reason"] = rng.choice(DECLINE_REASONS)
        if status in ("accepted", "completed", "revoked", "revoked_withdrawn"):
            assert decided is not None
            expires = decided + DAY * purpose.access_days
            if consent is not None:
                expires = min(expires, consent.expires_at)
            grant: dict[str, Any] = {
                "content_type_id": gen.case_type,
                "object_id": self.case.id,
                "agency_id": to_agency.pk,
                "user_id": None,
                "purpose": purpose.code,
                "sections": json.dumps(sorted(set(purpose.sections))),
                "actions": json.dumps({"view": True}),
                "reason": "",
                "granted_by_id": spec.worker.pk,
                "granted_at": decided,
                "expires_at": expires,
                "revoked_at": None,
                "revoked_by_id": None,
                "revoke_reason": "",
            }
            if ended is not None:
                if status == "completed":
                    by_receiver = rng.random() < 0.6
                    ender = receiver.pk if by_receiver else spec.worker.pk
                    reason = rng.choice(COMPLETE_NOTES)
                elif status == "revoked_withdrawn":
                    ender, reason = None, WITHDRAWN
                else:
                    ender, reason = spec.worker.pk, rng.choice(REVOKE_REASONS)
                values |= {"ended_by_id": ender, "ended_at": ended, "end_reason": reason}
                grant |= {"revoked_at": ended, "revoked_by_id": spec.worker.pk, "revoke_reason": reason}
            grant_row = gen.add("core.Grant", **grant)
            values["grant_id"] = grant_row.id
            gen.stats.grants += 1
        elif status == "revoked_unanswered":
            assert ended is not None
            values |= {
                "ended_by_id": spec.worker.pk,
                "ended_at": ended,
                "end_reason": rng.choice(REVOKE_REASONS),
            }
        referral = gen.add("cases.Referral", **values)
        if grant_row is not None:  # as do_accept_referral names it: the referral's code and purpose
            grant_row.reason = f"REF-{referral.id:06d} ({purpose.code})"
        label = "revoked (consent withdrawn)" if withdrawn else final
        gen.stats.referrals[label] = gen.stats.referrals.get(label, 0) + 1

    def consent(
        self, agency: Any, purpose: str, requested: dt.datetime, until: dt.datetime, *, exclusive: bool
    ) -> Row:
        """A consent of the victim for `purpose` and `agency` in force from before `requested` until after
        `until`: one recorded earlier for the same, or a new one recorded by the case worker."""
        rng, gen, spec = self.rng, self.gen, self.spec
        key = (spec.victim, purpose, agency.pk)
        if not exclusive:
            for row in gen.consents.get(key, []):
                if row.granted_at <= requested and row.expires_at > until and row.withdrawn_at is None:
                    return row
        granted = max(spec.opened_at + H * 0.2, requested - H * rng.uniform(0.2, 48))
        longest = self.consent_days(_local(granted))
        need = (until - granted).total_seconds() / 86400 + 1
        days = min(longest, max(need, rng.uniform(90, longest)))
        row = gen.add(
            "people.Consent",
            person_id=spec.victim,
            purpose=purpose,
            receiving_agency_id=agency.pk,
            granted_at=granted,
            expires_at=granted + DAY * days,
            withdrawn_at=None,
            withdrawal_reason="",
            notes=CONSENT_NOTES,
            recording_agency_id=self.case.agency_id,
            recorded_by_id=spec.worker.pk,
            created_at=granted,
        )
        if not exclusive:
            gen.consents.setdefault(key, []).append(row)
        gen.stats.consents += 1
        return row

    def consent_days(self, day: dt.date) -> float:
        if day not in self.consent_rule_days:
            from qorgau.people.models import ConsentRule

            self.consent_rule_days[day] = ConsentRule.effective(day).max_days
        return float(self.consent_rule_days[day])
