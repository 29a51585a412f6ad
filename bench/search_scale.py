# ruff: noqa: RUF001  (Cyrillic and Kazakh Latin letters are the data here)
"""Person name search at national scale: `DATABASE_URL=postgres://... .venv/bin/python bench/search_scale.py`.

Generates `--persons` synthetic persons (default 200,000; the issue's figure is 20,000,000) in bulk on a
throw-away PostgreSQL database (`test_<name>` next to DATABASE_URL's, dropped at the end unless `--keep`),
builds the indexes, then runs spelling-variant queries through `people.queries.search_persons` and reports
median / p95 latency and recall@10, with the old query (`LIKE 'w%' OR LIKE '% w%'` on name_key, no
index can serve it) timed side by side on the same data as the baseline. See bench/README.md.

The data: names from qorgau/demo/names.py, with the surname lists widened by the usual Kazakh and Russian
surname formations (father's name + -ов/-баев/-беков ..., see `surnames`) so that a full name and a
birth year identify a person among 20 million about as well as they do in life; the 20 + 15 demo
surnames alone give ~1,000 namesakes per full name at that scale, which no search can tell apart.
Every combination's `name_key` is computed by the project's own `people.names.name_key`; the rows are
made by one INSERT ... SELECT from generate_series, a few minutes for 20 million.

The queries: for `--targets` persons picked at random, the full name (surname, given name, patronymic)
written in four spellings (Kazakh Cyrillic as stored, Russified, 2021 Kazakh Latin, passport ICAO 9303
Latin) with the birth year, as a duty officer types them in the search form; plus, for latency only,
surname and given name without a year. recall@10: the target among the first 10 results.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
os.environ.setdefault("QORGAU_ENV", "development")

# Widen the demo surname lists (synthetic formations, not anyone's data).
KAZAKH_SURNAME_SUFFIXES = ("ов", "баев", "беков", "жанов", "құлов", "ғалиев")
RUSSIAN_EXTRA_SURNAMES = (
    "Белов", "Орлов", "Зайцев", "Голубев", "Виноградов", "Богданов", "Воробьёв", "Макаров", "Никитин",
    "Захаров", "Зуев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Степанов", "Сорокин",
    "Ковалёв", "Ильин", "Гусев", "Титов", "Кузьмин", "Кудрявцев", "Баранов", "Куликов", "Тарасов",
    "Белоусов", "Комаров", "Киселёв", "Ершов", "Фролов", "Жуков", "Денисов", "Калинин", "Медведев",
    "Емельянов", "Исаков", "Щербаков", "Чернов",
)  # fmt: skip

RUSSIFY = str.maketrans({"ә": "а", "ө": "о", "ү": "у", "ұ": "у", "қ": "к", "ғ": "г", "ң": "н", "һ": "х",
                         "і": "и", "Ә": "А", "Ө": "О", "Ү": "У", "Ұ": "У", "Қ": "К", "Ғ": "Г", "Ң": "Н",
                         "Һ": "Х", "І": "И"})  # fmt: skip
# The 2021 Kazakh Latin alphabet (decree of 2021, revised), lower case; capitalised per word below.
KAZAKH_LATIN = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io", "ж": "j",
    "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ñ", "о": "o",
    "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h",
    "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
}  # fmt: skip
# ICAO Doc 9303 transliteration as printed in Kazakh passports (Kazakh letters by their base letter).
PASSPORT = {
    "а": "A", "ә": "A", "б": "B", "в": "V", "г": "G", "ғ": "G", "д": "D", "е": "E", "ё": "E", "ж": "ZH",
    "з": "Z", "и": "I", "й": "I", "к": "K", "қ": "K", "л": "L", "м": "M", "н": "N", "ң": "N", "о": "O",
    "ө": "O", "п": "P", "р": "R", "с": "S", "т": "T", "у": "U", "ұ": "U", "ү": "U", "ф": "F", "х": "KH",
    "һ": "H", "ц": "TS", "ч": "CH", "ш": "SH", "щ": "SHCH", "ъ": "IE", "ы": "Y", "і": "I", "ь": "",
    "э": "E", "ю": "IU", "я": "IA",
}  # fmt: skip


def russified(text: str) -> str:
    return text.translate(RUSSIFY)


def kazakh_latin(text: str) -> str:
    return " ".join(w.capitalize() for w in "".join(KAZAKH_LATIN.get(c, c) for c in text.lower()).split())


def passport(text: str) -> str:
    return "".join(PASSPORT.get(c, c.upper()) for c in text.lower())


VARIANTS: dict[str, Callable[[str], str]] = {
    "kazakh_cyrillic": lambda t: t,
    "russified": russified,
    "kazakh_latin": kazakh_latin,
    "passport_latin": passport,
}


def surnames() -> tuple[list[str], list[str]]:
    from qorgau.demo import names

    kazakh = list(names.KAZAKH_SURNAMES)
    for root in names.KAZAKH_MALE:
        for suffix in KAZAKH_SURNAME_SUFFIXES:
            surname = root + suffix
            if surname not in kazakh:
                kazakh.append(surname)
    russian = list(dict.fromkeys([*names.RUSSIAN_SURNAMES, *RUSSIAN_EXTRA_SURNAMES]))
    return kazakh, russian


def name_combinations() -> dict[str, list[tuple[str, str, str, str]]]:
    """(surname, given name, patronymic, sex) of every combination, by group (kazakh/russian x F/M)."""
    from qorgau.demo import names

    kazakh_surnames, russian_surnames = surnames()
    groups: dict[str, list[tuple[str, str, str, str]]] = {"kf": [], "km": [], "rf": [], "rm": []}
    for s in kazakh_surnames:
        for father in names.KAZAKH_MALE:
            for g in names.KAZAKH_FEMALE:
                groups["kf"].append((names.feminine(s), g, father + "қызы", "F"))
            for g in names.KAZAKH_MALE:
                groups["km"].append((s, g, father + "ұлы", "M"))
    for s in russian_surnames:
        for son, daughter in names.RUSSIAN_PATRONYMICS.values():
            for g in names.RUSSIAN_FEMALE:
                groups["rf"].append((names.feminine(s), g, daughter, "F"))
            for g in names.RUSSIAN_MALE:
                groups["rm"].append((s, g, son, "M"))
    return groups


def generate(persons: int, seed: int, foundation: Any) -> dict[str, float]:
    """Fill people_person with `persons` rows in bulk; returns the timings of the steps."""
    from django.db import connection

    from qorgau.core.models import Region
    from qorgau.demo.names import KAZAKH_SHARE
    from qorgau.demo.persons import BIRTH_FROM, BIRTH_TO
    from qorgau.people.names import name_key

    timings: dict[str, float] = {}
    groups = name_combinations()
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "CREATE UNLOGGED TABLE bench_names (n int PRIMARY KEY, surname text, given_name text,"
            " patronymic text, sex text, name_key text)"
        )
        offsets: dict[str, tuple[int, int]] = {}
        n = 0
        with cur.copy("COPY bench_names FROM STDIN") as copy:
            for group, rows in groups.items():
                offsets[group] = (n, len(rows))
                for surname, given, patronymic, sex in rows:
                    copy.write_row((n, surname, given, patronymic, sex, name_key(surname, given, patronymic)))
                    n += 1
        # Places: 1,000 slots shared among the regions by population, each region's slots spread over
        # its districts; every person is registered by the police department of its region.
        regions = {r.code: r for r in Region.objects.all()}
        codes = list(foundation.regions)
        total = sum(regions[c].population for c in codes)
        slots: list[tuple[int, int, int, int]] = []
        for code in codes:
            share = max(1, round(1000 * regions[code].population / total))
            districts = foundation.districts[code]
            agency = foundation.agencies[(code, "police")]
            for i in range(share):
                district = districts[i % len(districts)]
                slots.append((len(slots), regions[code].pk, district.pk, agency.pk))
        cur.execute(
            "CREATE UNLOGGED TABLE bench_slots (n int PRIMARY KEY, region int, district int, agency int)"
        )
        with cur.copy("COPY bench_slots FROM STDIN") as copy:
            for row in slots:
                copy.write_row(row)
        cur.execute("ANALYZE bench_names")
        cur.execute("ANALYZE bench_slots")
        timings["names_and_places_s"] = time.perf_counter() - started

        # Secondary indexes are rebuilt after the load (faster than maintaining them row by row).
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'people_person'"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))"
        )
        indexes = cur.fetchall()
        for index_name, _definition in indexes:
            cur.execute(f'DROP INDEX "{index_name}"')
        started = time.perf_counter()
        cur.execute("SET session_replication_role = replica")  # no FK triggers: the ids are known good
        cur.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
        span = (BIRTH_TO - BIRTH_FROM).days
        kf, km, rf, rm = (offsets[g] for g in ("kf", "km", "rf", "rm"))
        cur.execute(
            """
            INSERT INTO people_person (
                surname, given_name, patronymic, surname_latin, given_name_latin, patronymic_latin,
                name_key, birth_date, sex, phone, address, region_id, district_id, agency_id,
                created_by_id, created_at, updated_at, iin_hash, iin_encrypted, iin_last4, linked_to_id)
            SELECT b.surname, b.given_name, b.patronymic, '', '', '', b.name_key,
                   %(birth_from)s::date + r.day, b.sex, '', '', s.region, s.district, s.agency,
                   NULL, now(), now(), NULL, '', '', NULL
            FROM (
                SELECT i,
                       CASE WHEN kz AND fem THEN %(kf0)s + floor(rn * %(kfn)s)
                            WHEN kz THEN %(km0)s + floor(rn * %(kmn)s)
                            WHEN fem THEN %(rf0)s + floor(rn * %(rfn)s)
                            ELSE %(rm0)s + floor(rn * %(rmn)s) END::int AS name,
                       slot, day
                FROM (
                    SELECT i, random() < %(kazakh)s AS kz, random() < 0.65 AS fem, random() AS rn,
                           floor(random() * %(slots)s)::int AS slot, floor(random() * %(span)s)::int AS day
                    FROM generate_series(1, %(persons)s) AS i
                ) AS draw
                OFFSET 0
            ) AS r
            JOIN bench_names b ON b.n = r.name
            JOIN bench_slots s ON s.n = r.slot
            """,
            {
                "birth_from": BIRTH_FROM,
                "kazakh": KAZAKH_SHARE,
                "slots": len(slots),
                "span": span,
                "persons": persons,
                "kf0": kf[0], "kfn": kf[1], "km0": km[0], "kmn": km[1],
                "rf0": rf[0], "rfn": rf[1], "rm0": rm[0], "rmn": rm[1],
            },
        )  # fmt: skip
        cur.execute("SET session_replication_role = DEFAULT")
        timings["insert_s"] = time.perf_counter() - started
        cur.execute("SET maintenance_work_mem = '1GB'")
        for index_name, definition in indexes:
            started = time.perf_counter()
            cur.execute(definition)
            timings[f"index_{index_name}_s"] = time.perf_counter() - started
        started = time.perf_counter()
        cur.execute("VACUUM ANALYZE people_person")
        timings["vacuum_analyze_s"] = time.perf_counter() - started
        cur.execute(
            "SELECT pg_total_relation_size('people_person'), pg_relation_size('person_name_key_prefixes')"
        )
        table_bytes, prefix_bytes = cur.fetchone()
        timings["table_with_indexes_gb"] = table_bytes / 1e9
        timings["prefix_index_gb"] = prefix_bytes / 1e9
        cur.execute("DROP TABLE bench_names, bench_slots")
    return timings


def check_keys(sample: int = 2000) -> None:
    """The keys made in SQL are what Person.save would store."""
    from django.db.models import Max, Min

    from qorgau.people.models import Person
    from qorgau.people.names import name_key

    bounds = Person.objects.aggregate(first=Min("pk"), last=Max("pk"))
    rng = random.Random(sample)  # noqa: S311  (synthetic data, not secrets)
    ids = [rng.randint(bounds["first"], bounds["last"]) for _ in range(sample)]
    for p in Person.objects.filter(pk__in=ids):
        expected = name_key(*(getattr(p, f) for f in Person.NAME_FIELDS))
        if p.name_key != expected:
            raise SystemExit(f"name_key mismatch for {p.pk}: {p.name_key!r} != {expected!r}")


def old_search(user: Any, name: str, birth_year: int | None) -> Any:
    """The query before the word-prefix index (qorgau/people/queries.py at main a0a323a)."""
    import datetime

    from django.db.models import Q

    from qorgau.people.models import Person
    from qorgau.people.names import fold_tokens

    q = Q()
    for token in fold_tokens(name):
        q &= Q(name_key__startswith=token) | Q(name_key__contains=f" {token}")
    qs = Person.objects.visible_to(user).filter(q)
    if birth_year:
        qs = qs.filter(
            birth_date__gte=datetime.date(birth_year, 1, 1),
            birth_date__lt=datetime.date(birth_year + 1, 1, 1),
        )
    return qs


def new_search(user: Any, name: str, birth_year: int | None) -> Any:
    from qorgau.people.queries import search_persons

    return search_persons(user, name=name, birth_year=birth_year)


def time_queries(
    search: Callable[[Any, str, int | None], Any],
    user: Any,
    queries: Iterable[tuple[str, int | None, int]],
) -> tuple[list[float], int, int]:
    """Each query once (the first 10 results' ids, as the page's first rows): times, hits, total."""
    times: list[float] = []
    hits = total = 0
    for name, year, target in queries:
        started = time.perf_counter()
        ids = list(
            search(user, name, year).select_related("region", "district").values_list("pk", flat=True)[:51]
        )
        times.append(time.perf_counter() - started)
        total += 1
        hits += target in ids[:10]
    return times, hits, total


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]


def explain(user: Any, name: str, year: int | None) -> str:
    from django.db import connection

    qs = new_search(user, name, year).select_related("region", "district")[:51]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cur.fetchall())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=200_000, help="synthetic persons (default 200,000)")
    parser.add_argument("--targets", type=int, default=250, help="persons searched for, 4 spellings each")
    parser.add_argument("--baseline-queries", type=int, default=20, help="queries timed with the old query")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--keep", action="store_true", help="keep the database (name printed) for EXPLAIN")
    parser.add_argument("--reuse", metavar="DATABASE", help="run the queries on a database kept by --keep")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from qorgau.core.models import User
    from qorgau.core.permissions import Scope
    from qorgau.demo.foundation import build_foundation, demo_username
    from qorgau.people.models import Person

    if connection.vendor != "postgresql":
        raise SystemExit("set DATABASE_URL to a PostgreSQL server: the benchmark generates rows in SQL")
    from run import machine

    settings.DEBUG = False
    old_name = connection.settings_dict["NAME"]
    if args.reuse:
        # A database kept by an earlier run (--keep): only the queries are run, nothing is written but
        # the national bench user, and the database is left as it was found.
        connection.settings_dict["NAME"] = args.reuse
        args.keep = True
    else:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    test_name = connection.settings_dict["NAME"]
    print("machine:", " ".join(f"{k}={v}" for k, v in machine().items()))
    print(
        f"database {test_name}; persons={Person.objects.count() if args.reuse else args.persons:,}", end=" "
    )
    print(f"targets={args.targets} seed={args.seed}")
    try:
        if not args.reuse:
            call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115
            foundation = build_foundation(seed=args.seed)
            started = time.perf_counter()
            timings = generate(args.persons, args.seed, foundation)
            print(f"generated in {time.perf_counter() - started:.0f} s: " + ", ".join(
                f"{k}={v:.2f}" for k, v in timings.items()
            ))  # fmt: skip
            check_keys()
        regional = User.objects.select_related("role", "agency").get(username=demo_username("duty_officer"))
        national, _created = User.objects.get_or_create(  # the duty officer's role with a national scope
            username="bench.search.national",
            defaults={"role": regional.role, "agency": regional.agency, "scope": Scope.NATIONAL},
        )
        rng = random.Random(args.seed)  # noqa: S311
        last = Person.objects.order_by("-pk").values_list("pk", flat=True)[0]
        first = Person.objects.order_by("pk").values_list("pk", flat=True)[0]
        targets = list(Person.objects.filter(pk__in=[rng.randint(first, last) for _ in range(args.targets)]))
        full: list[tuple[str, int | None, int]] = []
        by_variant: dict[str, list[tuple[str, int | None, int]]] = {v: [] for v in VARIANTS}
        short: list[tuple[str, int | None, int]] = []
        for p in targets:
            assert p.birth_date is not None
            for variant, spell in VARIANTS.items():
                query = (spell(f"{p.surname} {p.given_name} {p.patronymic}"), p.birth_date.year, p.pk)
                full.append(query)
                by_variant[variant].append(query)
            short.append((rng.choice(list(VARIANTS.values()))(f"{p.surname} {p.given_name}"), None, p.pk))
        rng.shuffle(full)
        # The duty officer's scope is their agency: targets among the persons it registered.
        candidates = [rng.randint(first, last) for _ in range(40 * args.targets)]
        own_ids = list(
            Person.objects.visible_to(regional).filter(pk__in=candidates).values_list("pk", flat=True)
        )[: args.targets // 4]
        own = []
        for p in Person.objects.filter(pk__in=own_ids):
            assert p.birth_date is not None
            spell = VARIANTS[rng.choice(list(VARIANTS))]
            own.append((spell(f"{p.surname} {p.given_name} {p.patronymic}"), p.birth_date.year, p.pk))
        print(f"national user {national.username}; agency user {regional.username} ({regional.scope})")
        time_queries(new_search, national, full[:20])  # warm-up
        heading = f"{'queries (new: word-prefix GIN index)':44} {'n':>5} {'median ms':>10} {'p95 ms':>9}"
        print(f"\n{heading} {'recall@10':>10}")
        for label, search, user, queries in (
            ("full name + birth year, national", new_search, national, full),
            *((f"  {variant}", new_search, national, qs) for variant, qs in by_variant.items()),
            ("full name + birth year, agency user", new_search, regional, own),
            ("surname + given name, no year, national", new_search, national, short),
            ("OLD full name + birth year, national", old_search, national, full[: args.baseline_queries]),
            ("OLD surname + given name, national", old_search, national, short[: args.baseline_queries]),
        ):
            if not queries:
                continue  # --baseline-queries 0
            times, hits, total = time_queries(search, user, queries)
            recall = f"{100 * hits / total:.1f}%" if "no year" not in label else "-"
            median, slow = 1000 * statistics.median(times), 1000 * p95(times)
            print(f"{label:44} {total:5d} {median:10.1f} {slow:9.1f} {recall:>10}")
        sample = full[0]
        print(
            "\nEXPLAIN ANALYZE of one full-name query, national user:\n"
            + explain(national, sample[0], sample[1])
        )
        print("\nEXPLAIN ANALYZE of one surname + given name query:\n" + explain(national, short[0][0], None))
        bench_list(national, regional, old=args.baseline_queries > 0)
        for label, user in (("national", national), ("agency user", regional)):
            from qorgau.people.queries import person_list

            sql, params = person_list(user).filter(pk__lt=last - 1000)[:51].query.sql_with_params()
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(row[0] for row in cur.fetchall())
            print(f"\nEXPLAIN ANALYZE of a person list page (keyset), {label}:\n{plan}")
    finally:
        if args.keep:
            print(f"kept database {test_name} (drop with: dropdb -h 127.0.0.1 -U postgres {test_name})")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


def bench_list(national: Any, regional: Any, *, old: bool = True) -> None:
    """The person list: the old first page (count + sorted offset page) against the keyset page."""
    from django.core.paginator import Paginator

    from qorgau.people.models import Person
    from qorgau.people.queries import person_page

    def old_page(user: Any) -> object:
        page = Paginator(Person.objects.visible_to(user).select_related("region"), 50).page(2)
        return list(page)

    def new(user: Any) -> object:
        rows, next_key = person_page(user, after=None)
        rows, _ = person_page(user, after=next_key)
        return rows

    print(f"\n{'person list, second page':44} {'n':>5} {'median ms':>10} {'p95 ms':>9}")
    for label, fn, user, repeat in (
        ("keyset, national", new, national, 30),
        ("keyset, agency user", new, regional, 30),
        *(
            (
                ("OLD count + sorted page, national", old_page, national, 3),
                ("OLD count + sorted page, agency user", old_page, regional, 3),
            )
            if old
            else ()
        ),
    ):
        if repeat > 3:
            fn(user)  # warm-up
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn(user)
            times.append(time.perf_counter() - started)
        print(f"{label:44} {repeat:5d} {1000 * statistics.median(times):10.1f} {1000 * p95(times):9.1f}")


if __name__ == "__main__":
    sys.exit(main())
