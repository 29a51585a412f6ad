"""The starting stay rules (the live copy; migrations/0002_stay_rules.py holds the frozen one).

Crisis centres: stays up to 6 months (DOMAIN.md section 4; service standards, Order No. 263 of 29 June
2023). The other limits and the hold and answer times are configurable defaults awaiting confirmation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

STAY_RULES: list[dict[str, Any]] = [
    {
        "facility_type": "crisis_centre",
        "max_stay_months": 6,
        "hold_hours": 4,
        "answer_hours": 2,
        "effective_from": dt.date(2023, 6, 29),
        "confirmed": True,
        "source": "Order No. 263 of 29 June 2023 (special social services standards)",
        "notes": "Stay up to 6 months; the hold and answer times are defaults (unconfirmed).",
    },
    {
        "facility_type": "family_support",
        "max_stay_months": 6,
        "hold_hours": 4,
        "answer_hours": 4,
        "effective_from": dt.date(2023, 6, 29),
        "confirmed": False,
        "source": "",
        "notes": "(unconfirmed) Default, as for crisis centres.",
    },
    {
        "facility_type": "adaptation_centre",
        "max_stay_months": 3,
        "hold_hours": 4,
        "answer_hours": 4,
        "effective_from": dt.date(2023, 6, 29),
        "confirmed": False,
        "source": "",
        "notes": "(unconfirmed) Default: a temporary stay of up to 3 months.",
    },
    {
        "facility_type": "drug_treatment",
        "max_stay_months": None,
        "hold_hours": 24,
        "answer_hours": 24,
        "effective_from": dt.date(2023, 6, 29),
        "confirmed": False,
        "source": "",
        "notes": "(unconfirmed) The length of compulsory treatment is set by the court, not by this rule.",
    },
]


# Before Order No. 263: the same limits assumed (unconfirmed), so that earlier stays have a version.
STAY_RULES += [
    {
        "facility_type": row["facility_type"],
        "max_stay_months": row["max_stay_months"],
        "hold_hours": row["hold_hours"],
        "answer_hours": row["answer_hours"],
        "effective_from": dt.date(2015, 1, 1),
        "effective_to": dt.date(2023, 6, 29),
        "confirmed": False,
        "source": "",
        "notes": "(unconfirmed) Before Order No. 263 of 29 June 2023: the same limit assumed.",
    }
    for row in list(STAY_RULES)
]


def load_stay_rules(model: Any) -> int:
    created = 0
    for row in STAY_RULES:
        row = dict(row)
        _, was_created = model.objects.get_or_create(
            facility_type=row.pop("facility_type"), effective_from=row.pop("effective_from"), defaults=row
        )
        created += was_created
    return created
