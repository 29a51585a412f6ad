"""The procedure of a referral to compulsory treatment as data: which moves each step allows, the role
action each move needs, the agency that owes the next move, the documents the acting agency confirms it
holds, and the coded reasons (status -> category -> reason).

Each agency records its own step with its own documents: nothing is copied from one agency to another,
the referral holds only which documents each agency confirmed. The deadlines of the steps are versioned
rows (models.TreatmentStepRule); this table is the procedure's shape, reviewed with the code (docs/
offenders.md says how to change it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models.rules import TreatmentStep as S

DOCUMENTS: dict[str, Promise] = {
    "signal_report": _("the signal's report and the inspector's account"),
    "prior_measures": _("earlier administrative measures against the person"),
    "examination_referral": _("the referral to the narcological examination"),
    "medical_conclusion": _("the narcological examination's conclusion"),
    "court_application": _("the application to the court with its materials"),
    "court_decision": _("the court's decision"),
    "admission_record": _("the facility's admission record"),
    "discharge_summary": _("the discharge summary"),
}


@dataclass(frozen=True)
class Move:
    to: str
    action: str
    owner: str  # who acts: "police", "health", "facility"
    documents: tuple[str, ...] = ()
    reasons: dict[str, tuple[str, ...]] = field(default_factory=dict)  # category -> reasons


REASONS: dict[str, Promise] = {
    "no_dependence": _("the examination found no dependence"),
    "did_not_appear": _("the person did not appear for the examination"),
    "court_refused": _("the court refused the application"),
    "court_returned": _("the court returned the application"),
    "no_bed": _("no free bed at a drug treatment facility"),
    "person_absent": _("the person cannot be found"),
    "medical_contraindication": _("a medical contraindication"),
    "completed": _("treatment completed"),
    "left_early": _("left the facility before the end"),
    "transferred": _("transferred to another facility"),
    "withdrawn": _("withdrawn by the inspector"),
}

CATEGORIES: dict[str, Promise] = {
    "medical": _("medical"),
    "court": _("court"),
    "capacity": _("capacity"),
    "person": _("the person"),
    "result": _("result"),
    "administrative": _("administrative"),
}

_CLOSE = Move(S.CLOSED, "offenders.refer", "police", (), {"administrative": ("withdrawn",)})

MOVES: dict[str, tuple[Move, ...]] = {
    S.GROUNDS: (
        Move(S.EXAMINATION, "offenders.refer", "police", ("signal_report", "examination_referral")),
        _CLOSE,
    ),
    S.EXAMINATION: (
        Move(S.CONCLUSION, "offenders.examine", "health", ("medical_conclusion",)),
        Move(S.CLOSED, "offenders.examine", "health", (), {"person": ("did_not_appear",)}),
    ),
    S.CONCLUSION: (
        Move(S.APPLICATION, "offenders.refer", "police", ("court_application",)),
        Move(
            S.CLOSED,
            "offenders.refer",
            "police",
            (),
            {"medical": ("no_dependence",), "administrative": ("withdrawn",)},
        ),
    ),
    S.APPLICATION: (
        Move(S.DECISION, "offenders.refer", "police", ("court_decision",)),
        Move(S.CLOSED, "offenders.refer", "police", (), {"court": ("court_refused", "court_returned")}),
    ),
    S.DECISION: (
        Move(S.ADMITTED, "offenders.admit", "facility", ("admission_record",)),
        Move(
            S.WAITING,
            "offenders.admit",
            "facility",
            (),
            {"capacity": ("no_bed",), "person": ("person_absent",), "medical": ("medical_contraindication",)},
        ),
    ),
    S.WAITING: (
        Move(S.ADMITTED, "offenders.admit", "facility", ("admission_record",)),
        Move(
            S.WAITING,
            "offenders.admit",
            "facility",
            (),
            {"capacity": ("no_bed",), "person": ("person_absent",), "medical": ("medical_contraindication",)},
        ),
    ),
    S.ADMITTED: (
        Move(
            S.ENDED,
            "offenders.admit",
            "facility",
            ("discharge_summary",),
            {"result": ("completed", "left_early", "transferred")},
        ),
    ),
    S.ENDED: (),
    S.CLOSED: (),
}

# Who owes the move out of each step (the queue it is in): the police for their steps, the health
# facility for the examination, the drug treatment facility once the court decided.
OWED_BY: dict[str, str] = {
    S.GROUNDS: "police",
    S.EXAMINATION: "health",
    S.CONCLUSION: "police",
    S.APPLICATION: "police",
    S.DECISION: "facility",
    S.WAITING: "facility",
    S.ADMITTED: "facility",
}

TERMINAL = (S.ENDED, S.CLOSED)
# Decisions of the court not carried out: the court ordered treatment and no admission followed yet.
UNEXECUTED = (S.DECISION, S.WAITING)
ORDER = [step.value for step in S]


def moves_from(step: str) -> tuple[Move, ...]:
    return MOVES.get(step, ())


def move(step: str, to: str) -> Move | None:
    return next((m for m in moves_from(step) if m.to == to), None)


def reason_category(move_: Move, reason: str) -> str | None:
    return next((cat for cat, reasons in move_.reasons.items() if reason in reasons), None)
