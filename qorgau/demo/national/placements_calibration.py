"""What the demo's year of placements assumes (demo assumptions, not statistics, except where named).

Published: 4,386 crisis-centre applicants in 2023 (DOMAIN.md 5), stays up to 6 months (DOMAIN.md 4). The
cases demo opens that many crisis-centre cases a year (cases_calibration.CRISIS_APPLICANTS); every one of
them asks for a place, so the year's crisis-centre clients are those cases, less the few the network
could not place. About two thirds come with children (WITH_CHILDREN_SHARE: the case's registered
children where it has them, otherwise children who come with their mother but have no record of their
own in the case, as (age, sex) on the placement only).
"""

from __future__ import annotations

# Share of crisis-centre clients who come with children, and how many (1-4, weights).
WITH_CHILDREN_SHARE = 0.71  # of adult women: with minors among the clients, two thirds in all
CHILDREN_COUNT = ((1, 45), (2, 33), (3, 15), (4, 7))
# Family support centres: the share of their cases whose victim stays (day stay or a few nights).
FAMILY_STAY_SHARE = 0.15
FAMILY_STAY_DAYS = (3, 30)
# Length of a crisis-centre stay: lognormal around a median (days), and a few long ones past the limit.
STAY_MEDIAN_DAYS = 40
STAY_SIGMA = 0.7
LONG_STAY_SHARE = 0.05
LONG_STAY_DAYS = (120, 240)
# Of the stays that reach the longest stay, how many are extended (with a reason) rather than ended.
EXTENDED_AT_LIMIT_SHARE = 0.6
EXTENSION_REASONS = (
    "Housing promised by the akimat from next month; nowhere safe to go until then.",
    "The court hearing on the protective order is after the planned end.",
    "The child's treatment at the regional hospital continues; moving now would interrupt it.",
    "The offender was released and lives at the family home; safety plan under review.",
    "Waiting for a place in a family support centre in the region she moves to.",
)
# Where a client is placed: the case's own crisis centre (its staff see the case) with this weight
# against each other centre of the region (weighted by free places: a shelter referral to it).
OWN_CENTRE_WEIGHT = 3.0
# Hours from the case opening to the arrival at the centre; from acceptance to arrival (under the hold).
ARRIVAL_HOURS = (0.5, 10)
ADMIT_AFTER_ACCEPT_HOURS = (0.3, 3.5)
ANSWER_HOURS = (0.2, 1.8)
# Accepted requests whose person never arrived: the hold lapses and the case tries again a day later.
LAPSED_HOLD_SHARE = 0.03
# When no centre of the region has a place: the waiting list, retried this many days later, this often.
RETRY_DAYS = (1, 3)
RETRIES = 3
# Discharges: where to (weights), and the outcome when the stay ended before its planned end.
DESTINATIONS = (
    ("relatives", 30),
    ("new_housing", 22),
    ("own_home", 18),
    ("returned", 14),
    ("other_facility", 5),
    ("unknown", 6),
    ("hospital", 2),
    ("other", 3),
)
OUTCOMES = (("completed", 62), ("left_early", 28), ("breach", 4), ("transferred", 3), ("other", 3))
DISCHARGE_NOTE = "Details in the case record."
REQUEST_NOTE = "Needs a safe place today; the case worker accompanies her."
DISABILITY_SHARE = 0.05
