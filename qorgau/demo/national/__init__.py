"""The calibrated national demo year: ~100,000 signals of domestic violence over the 20 regions.

`generate_year` writes one synthetic year in bulk (bulk_create with preassigned primary keys, no per-row
service calls, no per-row audit), calibrated to the government brief (DOMAIN.md sections 1 and 7):

- signals per region = population x the demo rate per 1,000 residents in `REGION_RATES`, scaled so the
  national total is 100,000 x `scale`; the rates put Shymkent, Astana, Almaty, Karaganda, Pavlodar and
  Kostanay on top (B1), in that order;
- outcomes per `CALIBRATION` (668 criminal cases and 35,000 administrative protocols per 100,000 signals
  in 2022, B2), apportioned exactly over the regions, so the national totals are exact for any scale;
- repeat victimisation and repeat offending: signals come from families (a victim, an alleged offender,
  sometimes a child) whose number of signals in the year is 1 + a gamma-Poisson (negative binomial)
  count, mean about 1.35; a few offenders appear in two families;
- protective orders with their compliance checks (at least every 7 days), breaches as new signals linked
  to the order, and reconciliation decisions taken by the real guard (`decide_reconciliation`).

Invariants the intake and people services keep, and that this bulk path keeps too (tests check them):
- registration numbers `KZ-71-2022-000001` are consecutive per region and year in order of registration,
  and the RegistrationCounter row holds the last one, so a later `do_register_signal` continues the run;
- deadlines come from the DeadlineRule rows in force on the (Asia/Almaty) day of receipt, and the signal
  keeps the rows it used; orders keep their validity and check-interval rules and get `check_schedule`;
- a signal is closed only with an outcome (Signal.outcome is the outcome row, closed_at set); open ones
  are `registered` (unassigned) or `in_progress`; a victim's refusal is a fact and never a closure;
- outcomes carry the fields their kind requires (article, part 73, case number, reason, agency) and only
  those; a "protective order" outcome has an order; referrals go to another, active agency;
- assignees are police officers of the signal's region with `intake.change`; no time lies in the future;
- persons get a valid, unique IIN stored as keyed hash, Fernet ciphertext and last digits, and their
  `name_key`; families their `FAM-000123` code.

The calibration figures (calibration.py) are demo data, not statistics: documented assumptions that make
the demo look like the brief, to be replaced by real figures where they exist.
"""

from .bulk import Ids, IinStore, fast_name_key, insert_rows
from .calibration import (
    CALIBRATION,
    REGION_RATES,
    SIGNALS_PER_YEAR,
    STAFF_PREFIX,
    TOP_SIX,
    Progress,
    YearCalibration,
    apportion,
    outcome_targets,
    region_counts,
    repeat_count,
)
from .context import YearStats
from .staff import Station, ensure_staff, staff_username
from .year import generate_year, year_already_generated

__all__ = [
    "CALIBRATION",
    "REGION_RATES",
    "SIGNALS_PER_YEAR",
    "STAFF_PREFIX",
    "TOP_SIX",
    "Ids",
    "IinStore",
    "Progress",
    "Station",
    "YearCalibration",
    "YearStats",
    "apportion",
    "ensure_staff",
    "fast_name_key",
    "generate_year",
    "insert_rows",
    "outcome_targets",
    "region_counts",
    "repeat_count",
    "staff_username",
    "year_already_generated",
]
