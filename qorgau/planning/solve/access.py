"""Access between demand points and sites: great-circle distance times a detour factor, or an imported
travel-time matrix (CSV). docs/planning.md says how a road router (OSRM's table service) produces one."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence

import numpy as np

EARTH_KM = 6371.0
MAX_CSV_BYTES = 20 * 1024 * 1024


class TravelMatrixError(ValueError):
    """A travel-time CSV that cannot be used; the message says which line and why."""


def great_circle_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Haversine distances (km, mean Earth radius) between every point of 1 (rows) and of 2 (columns)."""
    p1 = np.radians(np.asarray(lat1, dtype=float))[:, None]
    p2 = np.radians(np.asarray(lat2, dtype=float))[None, :]
    dl = (
        np.radians(np.asarray(lon2, dtype=float))[None, :]
        - np.radians(np.asarray(lon1, dtype=float))[:, None]
    )
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def access_matrix(
    demand: Sequence[tuple[float, float]], sites: Sequence[tuple[float, float]], *, detour: float = 1.3
) -> np.ndarray:
    """Road distance estimate (km): great circle times the detour factor, demand rows by site columns."""
    if not math.isfinite(detour) or detour < 1.0:
        raise ValueError("the detour factor must be a number of at least 1")
    for lat, lon in [*demand, *sites]:
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError("a point has missing or impossible coordinates")
    if not demand or not sites:
        return np.zeros((len(demand), len(sites)))
    d = np.asarray(demand, dtype=float)
    s = np.asarray(sites, dtype=float)
    return great_circle_km(d[:, 0], d[:, 1], s[:, 0], s[:, 1]) * detour


def parse_travel_csv(
    text: str, demand_ids: Sequence[str], site_ids: Sequence[str], *, max_value: float = 10_000.0
) -> np.ndarray:
    """A travel matrix from CSV lines `origin,destination,minutes` (a header line first).

    Origins are demand point ids, destinations site ids, both as the planning page lists them; every pair
    must be given exactly once, with a finite value from 0 to `max_value`. Raises TravelMatrixError
    naming the first line at fault, so nothing half-read is ever used.
    """
    if len(text.encode()) > MAX_CSV_BYTES:
        raise TravelMatrixError("the file is larger than 20 MB")
    rows = {k: i for i, k in enumerate(demand_ids)}
    cols = {k: j for j, k in enumerate(site_ids)}
    out = np.full((len(rows), len(cols)), np.nan)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != ["origin", "destination", "minutes"]:
        raise TravelMatrixError("line 1: the header must be origin,destination,minutes")
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != 3:
            raise TravelMatrixError(f"line {line}: expected 3 fields, found {len(row)}")
        origin, dest, raw = (v.strip() for v in row)
        if origin not in rows:
            raise TravelMatrixError(f"line {line}: unknown origin {origin[:40]!r}")
        if dest not in cols:
            raise TravelMatrixError(f"line {line}: unknown destination {dest[:40]!r}")
        try:
            value = float(raw)
        except ValueError:
            raise TravelMatrixError(f"line {line}: {raw[:20]!r} is not a number") from None
        if not math.isfinite(value) or not 0 <= value <= max_value:
            raise TravelMatrixError(f"line {line}: the time must be between 0 and {max_value:g}")
        i, j = rows[origin], cols[dest]
        if not np.isnan(out[i, j]):
            raise TravelMatrixError(f"line {line}: the pair {origin[:40]} -> {dest[:40]} is given twice")
        out[i, j] = value
    missing = np.argwhere(np.isnan(out))
    if len(missing):
        i, j = missing[0]
        raise TravelMatrixError(
            f"{len(missing)} pairs are missing, the first {demand_ids[i]} -> {site_ids[j]}"
        )
    return out
