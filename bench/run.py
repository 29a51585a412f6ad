"""Qorgau benchmarks: `make bench` or `.venv/bin/python bench/run.py [--only NAME] [--repeat N] [--rows N]`.

With `--demo-years 2021,2022,2023` the database holds the calibrated national demo years instead of
`--rows` bare persons (~100,000 signals a year at `--demo-scale 1`), generated once and cached: a SQLite
file var/bench-<years>-s<scale>-<key>.sqlite3 copied for each run, or on PostgreSQL a database
qorgau_bench_<key> used as the template of each run's throw-away database. The key changes with the
migrations and the demo generator's source, so a stale cache is never used; `--rebuild-cache` forces it.

Sets Django up on a throw-away database (a temporary SQLite file, or a `test_...` database next to
DATABASE_URL's, dropped at the end: the real database is never touched), loads the reference data, the
demo foundation (agencies, demo users) and N synthetic persons in bulk, then times each registered
benchmark with time.perf_counter. It reports the median and p95 of the repeated runs and the ratio of
the median to a baseline measured in the same run on the same machine, which is the number to compare
across machines. It never asserts timings. See bench/README.md.

Add a benchmark: write a function that takes the `Context` and returns the zero-argument callable to
time (or raises `Skip`), and decorate it with `@benchmark("name", baseline="pk_lookup")`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
# A benchmark is a development tool (throw-away database, public keys); the settings default to production.
os.environ.setdefault("QORGAU_ENV", "development")

WARMUP = 3


class Skip(Exception):
    """Raised by a benchmark's setup when what it measures does not exist yet."""


@dataclass
class Context:
    """What the benchmarks share: the loaded data and helpers."""

    rows: int
    seed: int
    rng: random.Random
    users: dict[str, Any]  # role slug -> demo user
    person_ids: list[int]
    sample_surnames: list[str]
    sample_iins: list[str]  # of persons the duty officer sees
    extra: dict[str, Any] = field(default_factory=dict)  # for later benchmarks' shared data


@dataclass
class Benchmark:
    name: str
    setup: Callable[[Context], Callable[[], object]]
    baseline: str | None
    doc: str


REGISTRY: dict[str, Benchmark] = {}


def benchmark(
    name: str, *, baseline: str | None = "pk_lookup"
) -> Callable[[Callable[[Context], Callable[[], object]]], Callable[[Context], Callable[[], object]]]:
    def register(
        setup: Callable[[Context], Callable[[], object]],
    ) -> Callable[[Context], Callable[[], object]]:
        REGISTRY[name] = Benchmark(name, setup, baseline, (setup.__doc__ or "").strip().splitlines()[0])
        return setup

    return register


# --- benchmarks -------------------------------------------------------------------------------------------


@benchmark("pk_lookup", baseline=None)
def bench_pk_lookup(ctx: Context) -> Callable[[], object]:
    """Baseline: one person by primary key (the cheapest indexed read)."""
    from qorgau.people.models import Person

    ids = ctx.person_ids
    rng = random.Random(ctx.seed)  # noqa: S311 - picks rows, not secrets
    return lambda: Person.objects.get(pk=rng.choice(ids))


@benchmark("count", baseline="pk_lookup")
def bench_count(ctx: Context) -> Callable[[], object]:
    """Count every person (a full scan or index scan: grows with --rows)."""
    from qorgau.people.models import Person

    return lambda: Person.objects.count()


def _search(ctx: Context, **query: Any) -> Callable[[], object]:
    try:
        from qorgau.people.queries import search_persons
    except ImportError as exc:
        raise Skip(f"qorgau.people.queries.search_persons: {exc}") from exc
    user = ctx.users["duty_officer"]
    return lambda: list(search_persons(user, **query)[:50])


@benchmark("search_surname_cyrillic")
def bench_search_surname(ctx: Context) -> Callable[[], object]:
    """search_persons by a Cyrillic surname, as an Astana duty officer (agency scope), first 50."""
    return _search(ctx, name=ctx.sample_surnames[0])


@benchmark("search_name_latin")
def bench_search_latin(ctx: Context) -> Callable[[], object]:
    """search_persons by surname and given name in Latin letters (finds the Cyrillic records)."""
    from qorgau.people.models import Person

    person = Person.objects.filter(agency=ctx.users["duty_officer"].agency).order_by("pk").first()
    if person is None:
        raise Skip("no person of the duty officer's agency")
    return _search(ctx, name=f"{person.name_key.split()[0]} {person.name_key.split()[1]}")


@benchmark("search_iin")
def bench_search_iin(ctx: Context) -> Callable[[], object]:
    """search_persons by an exact IIN (keyed hash, unique index)."""
    return _search(ctx, iin=ctx.sample_iins[0])


@benchmark("person_list_page")
def bench_person_list_page(ctx: Context) -> Callable[[], object]:
    """GET the person list page through the test client, logged in with a second factor."""
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from qorgau.core.testing import otp_login

    try:
        url = reverse("people:person_list")
    except NoReverseMatch as exc:
        raise Skip("no URL named people:person_list yet") from exc
    client = otp_login(Client(), ctx.users["duty_officer"])

    def get() -> object:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response

    return get


def _register(name: str) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        f"qorgau_bench_{name}", Path(__file__).with_name(f"{name}.py")
    )
    if spec is None or spec.loader is None:  # pragma: no cover
        return
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.register(benchmark, Skip)


_register("intake")
_register("cases")  # issue 9: the case list and case page
_register("facilities")  # issue 11: the vacancy search
_register("risk")  # issue 9: scoring a year of assessments in one pass
_register("portal")  # issue 16: the public help page, server time and page weight
_register("insights")  # issue 13: the dashboards over three demo years


# --- harness ----------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    import django
    from django.db import connection

    info = {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "db": connection.vendor,
    }
    if connection.vendor == "sqlite":
        import sqlite3

        info["db_version"] = sqlite3.sqlite_version
    elif connection.vendor == "postgresql":
        connection.ensure_connection()
        info["db_version"] = str(connection.pg_version)  # type: ignore[attr-defined]
    return info


def setup_database(tmpdir: Path) -> Callable[[], None]:
    """Create the throw-away database and migrate it; returns the function that drops it."""
    from django.conf import settings
    from django.db import connection

    # Query logging under DEBUG would be measured too. WhiteNoise then looks for collected static files,
    # which pages under test do not need.
    settings.DEBUG = False
    warnings.filterwarnings("ignore", message="No directory at")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(tmpdir / "bench.sqlite3")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return lambda: connection.creation.destroy_test_db(old_name, verbosity=0)


def _cache_key(years: list[int], scale: float, seed: int) -> str:
    """Names the cached demo database: its years, scale and a hash of everything that shapes it."""
    import hashlib

    from django.db.migrations.loader import MigrationLoader

    leaves = sorted(f"{app}.{name}" for app, name in MigrationLoader(None).graph.leaf_nodes())
    sources = sorted((ROOT / "qorgau" / "demo").rglob("*.py"))
    digest = hashlib.sha256(json.dumps([years, scale, seed, leaves]).encode())
    for source in sources:
        digest.update(source.read_bytes())
    return f"{'-'.join(map(str, years))}-s{scale:g}-{digest.hexdigest()[:10]}"


def _generate_demo(years: list[int], scale: float, seed: int) -> None:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command(
        "demo", years=",".join(map(str, years)), scale=scale, seed=seed, stdout=sys.stdout, stderr=sys.stderr
    )
    print(f"generated demo years {years} in {time.perf_counter() - started:.1f} s")


def setup_demo_database(
    tmpdir: Path, *, years: list[int], scale: float, seed: int, rebuild: bool
) -> Callable[[], None]:
    """A throw-away database holding the demo years, from the cache (made on the first run)."""
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False
    warnings.filterwarnings("ignore", message="No directory at")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    key = _cache_key(years, scale, seed)
    if connection.vendor == "sqlite":
        cache = ROOT / "var" / f"bench-{key}.sqlite3"
        target = tmpdir / "bench.sqlite3"
        if cache.exists() and not rebuild:
            started = time.perf_counter()
            connection.close()
            shutil.copyfile(cache, target)
            connection.settings_dict["NAME"] = str(target)
            print(f"demo years from cache {cache.relative_to(ROOT)} ({time.perf_counter() - started:.1f} s)")
        else:
            connection.settings_dict.setdefault("TEST", {})["NAME"] = str(target)
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            _generate_demo(years, scale, seed)
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.close()
            cache.parent.mkdir(exist_ok=True)
            partial = cache.with_suffix(".partial")
            shutil.copyfile(target, partial)
            os.replace(partial, cache)
            print(f"cached as {cache.relative_to(ROOT)}")
        return connection.close
    if connection.vendor != "postgresql":
        raise SystemExit("--demo-years supports SQLite and PostgreSQL")
    cache_db = f"qorgau_bench_{key.replace('-', '_').replace('.', '_')}"[:63]
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cache_db])
        cached = cursor.fetchone() is not None
    old_name = connection.settings_dict["NAME"]
    if cached and not rebuild:
        started = time.perf_counter()
        connection.settings_dict.setdefault("TEST", {})["TEMPLATE"] = cache_db
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        print(f"demo years from template database {cache_db} ({time.perf_counter() - started:.1f} s)")
    else:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        _generate_demo(years, scale, seed)
        test_name = connection.settings_dict["NAME"]
        connection.close()
        with connection._nodb_cursor() as cursor:
            quote = connection.ops.quote_name
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(cache_db)}")
            cursor.execute(f"CREATE DATABASE {quote(cache_db)} TEMPLATE {quote(test_name)}")
        print(f"cached as template database {cache_db}")
    return lambda: connection.creation.destroy_test_db(old_name, verbosity=0)


def demo_context(*, seed: int) -> Context:
    """The Context over a database that holds the demo years (users, persons, samples)."""
    from qorgau.demo.foundation import demo_users
    from qorgau.intake.models import Signal
    from qorgau.people.iin import decrypt_iin
    from qorgau.people.models import Person

    users = {user.role.slug: user for user in demo_users() if user.role}
    officer = users["duty_officer"]
    own = Person.objects.filter(agency=officer.agency).order_by("pk")
    first = own.first()
    if first is None:
        raise SystemExit("no person in the duty officer's agency")
    surnames = list(own.values_list("surname", flat=True)[:2000])
    persons = Person.objects.count()
    print(f"database: {Signal.objects.count()} signals, {persons} persons")
    return Context(
        rows=persons,
        seed=seed,
        rng=random.Random(seed),  # noqa: S311
        users=users,
        person_ids=list(Person.objects.values_list("pk", flat=True)),
        sample_surnames=[statistics.mode(surnames)],
        sample_iins=[decrypt_iin(first.iin_encrypted)],
    )


def load_data(*, rows: int, seed: int) -> Context:
    from django.core.management import call_command

    from qorgau.core.models import Region
    from qorgau.demo.foundation import build_foundation
    from qorgau.demo.persons import bulk_persons, plan_persons
    from qorgau.people.models import Person

    call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115
    foundation = build_foundation(seed=seed)
    regions = {r.code: r for r in Region.objects.all()}
    # Persons spread over the regions by population, registered by each region's police department.
    placements = [
        (foundation.agencies[(code, "police")], foundation.districts[code]) for code in foundation.regions
    ]
    weights = [regions[code].population for code in foundation.regions]
    specs = plan_persons(seed=seed, count=rows)
    started = time.perf_counter()
    bulk_persons(specs, placements=placements, weights=weights, seed=seed)
    print(f"loaded {rows} persons in {time.perf_counter() - started:.1f} s")
    from qorgau.people.iin import decrypt_iin

    officer = foundation.users["duty_officer"]
    own = Person.objects.filter(agency=officer.agency).order_by("pk")
    surnames = list(own.values_list("surname", flat=True)[:2000])
    first = own.first()
    if first is None:
        raise SystemExit("no person in the duty officer's agency: raise --rows")
    return Context(
        rows=rows,
        seed=seed,
        rng=random.Random(seed),  # noqa: S311
        users=foundation.users,
        person_ids=list(Person.objects.values_list("pk", flat=True)),
        sample_surnames=[statistics.mode(surnames)],
        sample_iins=[decrypt_iin(first.iin_encrypted)],
    )


def measure(fn: Callable[[], object], repeat: int) -> list[float]:
    for _ in range(WARMUP):
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def p95(times: list[float]) -> float:
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", action="append", default=[], help="run only this benchmark (repeatable)")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per benchmark (default 30)")
    parser.add_argument("--rows", type=int, default=20000, help="synthetic persons to load (default 20000)")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument(
        "--demo-years",
        help="load these calibrated demo years instead of --rows persons, e.g. 2021,2022,2023 (cached)",
    )
    parser.add_argument(
        "--demo-scale", type=float, default=1.0, help="signals per demo year / 100,000 (default 1.0)"
    )
    parser.add_argument("--rebuild-cache", action="store_true", help="regenerate the cached demo years")
    args = parser.parse_args(argv)

    if args.list:
        for b in REGISTRY.values():
            print(f"{b.name:<26} {b.doc}")
        return 0
    unknown = [name for name in args.only if name not in REGISTRY]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; see --list")
    selected = [b for b in REGISTRY.values() if not args.only or b.name in args.only]
    # Baselines run even when not selected: a ratio needs its baseline from the same run.
    needed = {b.baseline for b in selected if b.baseline} - {b.name for b in selected}
    to_run = [b for b in REGISTRY.values() if b.name in needed] + selected

    import django

    django.setup()
    tmpdir = Path(tempfile.mkdtemp(prefix="qorgau-bench-"))
    years = [int(y) for y in args.demo_years.split(",")] if args.demo_years else []
    if years:
        drop = setup_demo_database(
            tmpdir, years=years, scale=args.demo_scale, seed=args.seed, rebuild=args.rebuild_cache
        )
    else:
        drop = setup_database(tmpdir)
    try:
        info = machine()
        ctx = demo_context(seed=args.seed) if years else load_data(rows=args.rows, seed=args.seed)
        print(" ".join(f"{k}={v}" for k, v in info.items()))
        data = (
            f"demo_years={args.demo_years} demo_scale={args.demo_scale:g}" if years else f"rows={args.rows}"
        )
        print(f"{data} repeat={args.repeat} warmup={WARMUP} seed={args.seed}")
        print()
        results: dict[str, dict[str, Any]] = {}
        for b in to_run:
            try:
                fn = b.setup(ctx)
            except Skip as exc:
                results[b.name] = {"skipped": str(exc)}
                continue
            times = measure(fn, args.repeat)
            results[b.name] = {"median": statistics.median(times), "p95": p95(times), "baseline": b.baseline}
        print(f"{'benchmark':<26} {'median ms':>10} {'p95 ms':>10} {'x baseline':>11}  baseline")
        for b in to_run:
            r = results[b.name]
            if "skipped" in r:
                print(f"{b.name:<26} {'skipped':>10}  ({r['skipped']})")
                continue
            base = results.get(b.baseline or "", {}).get("median")
            r["ratio"] = r["median"] / base if base else None
            ratio = f"{r['ratio']:.1f}" if r["ratio"] is not None else "-"
            median, high = r["median"] * 1000, r["p95"] * 1000
            print(f"{b.name:<26} {median:>10.3f} {high:>10.3f} {ratio:>11}  {b.baseline or ''}")
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "machine": info,
                        "rows": ctx.rows,
                        "demo_years": years,
                        "repeat": args.repeat,
                        "results": results,
                    },
                    indent=2,
                )
            )
    finally:
        drop()
        shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
