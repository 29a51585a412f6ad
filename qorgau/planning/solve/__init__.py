"""The planning solvers: distances and location-allocation models solved with HiGHS (highspy).

No Django here (ARCHITECTURE.md: analytic engines in a package of their own): plain numpy arrays in,
dataclasses out, so that tests, the bench and the background task call the same code.
"""

from .access import TravelMatrixError, access_matrix, great_circle_km, parse_travel_csv
from .models import Solution, SolveError, capacitated_cover, max_cover, p_median

__all__ = [
    "Solution",
    "SolveError",
    "TravelMatrixError",
    "access_matrix",
    "capacitated_cover",
    "great_circle_km",
    "max_cover",
    "p_median",
    "parse_travel_csv",
]
