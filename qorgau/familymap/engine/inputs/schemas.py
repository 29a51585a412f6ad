"""The documented schema of each source (docs/familymap.md "Input files"), as data."""

from __future__ import annotations

from dataclasses import dataclass

# DuckDB type families a column accepts (a CSV's BIGINT for an int8 column is fine: the values are checked).
INTEGER = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "HUGEINT",
)
NUMBER = (*INTEGER, "FLOAT", "DOUBLE", "DECIMAL")
TEXT = ("VARCHAR",)
DATE = ("DATE",)
BOOLEAN = ("BOOLEAN",)


@dataclass(frozen=True)
class Column:
    name: str
    types: tuple[str, ...]
    nullable: bool = True
    values: tuple[str, ...] = ()  # allowed values of a text column
    check: str = ""  # SQL condition a non-null value must meet (the column is `v`)
    message: str = ""


IIN_CHECK = "v BETWEEN 0 AND 999999999999"
COMMON = (
    Column("record_id", TEXT, nullable=False, check="length(v) BETWEEN 1 AND 64", message="1-64 characters"),
    Column("iin", INTEGER, check=IIN_CHECK, message="an IIN is at most 12 digits"),
    Column("last_name", TEXT, nullable=False, check="length(trim(v)) > 0", message="empty name"),
    Column("first_name", TEXT, nullable=False, check="length(trim(v)) > 0", message="empty name"),
    Column("patronymic", TEXT),
    Column(
        "birth_date",
        DATE,
        check="v BETWEEN DATE '1900-01-01' AND current_date",
        message="birth date before 1900 or in the future",
    ),
    Column("region", TEXT, check="v IN (SELECT code FROM regions)", message="not a region code (KZ-71 ...)"),
    Column("address", TEXT),
)

SOURCES: dict[str, tuple[Column, ...]] = {
    "civil_persons": (
        Column("person_id", INTEGER, nullable=False, check="v > 0", message="must be positive"),
        Column("family_id", INTEGER, nullable=False, check="v > 0", message="must be positive"),
        Column("role", TEXT, nullable=False, values=("head", "spouse", "child", "parent", "other")),
        Column("sex", TEXT, nullable=False, values=("M", "F")),
        Column(
            "district",
            TEXT,
            nullable=False,
            check="regexp_full_match(v, 'KZ-[0-9]{2}-[0-9]{2,4}')",
            message="not a district code (KZ-71-01)",
        ),
    ),
    "benefits": (
        Column(
            "benefit",
            TEXT,
            nullable=False,
            values=("tsa", "disability", "large_family", "child_allowance", "survivor", "carer"),
        ),
        Column("disability_group", INTEGER, check="v BETWEEN 1 AND 3", message="group 1, 2 or 3"),
        Column("amount_kzt", INTEGER, nullable=False, check="v >= 0", message="negative amount"),
        Column("start_date", DATE, nullable=False),
        Column("end_date", DATE),
    ),
    "employment": (
        Column("status", TEXT, nullable=False, values=("employed", "self_employed", "registered_unemployed")),
        Column("income_kzt", INTEGER, check="v >= 0", message="negative income"),
        Column("period", DATE, nullable=False),
    ),
    "health": (
        Column("addiction", BOOLEAN, nullable=False),
        Column("psychiatric", BOOLEAN, nullable=False),
        Column("pregnant", BOOLEAN, nullable=False),
        Column("disability", BOOLEAN, nullable=False),
        Column("as_of", DATE, nullable=False),
    ),
    "education": (
        Column("level", TEXT, nullable=False, values=("preschool", "school", "college")),
        Column("enrolled", BOOLEAN, nullable=False),
        Column("absences_days", INTEGER, nullable=False, check="v BETWEEN 0 AND 366", message="0-366 days"),
        Column("grade", INTEGER, check="v BETWEEN 0 AND 12", message="grade 0-12"),
    ),
    "housing": (
        Column("tenure", TEXT, nullable=False, values=("owned", "rented", "social", "none")),
        Column("area_m2", NUMBER, check="v > 0 AND v < 10000", message="area out of range"),
        Column("rooms", INTEGER, check="v BETWEEN 1 AND 100", message="rooms out of range"),
        Column(
            "residents",
            INTEGER,
            nullable=False,
            check="v BETWEEN 0 AND 500",
            message="residents out of range",
        ),
        Column("condition", TEXT, nullable=False, values=("good", "poor", "emergency")),
        Column("queue", BOOLEAN, nullable=False),
    ),
}

SOURCE_NAMES = tuple(SOURCES)


def columns(source: str) -> tuple[Column, ...]:
    """Every documented column of a source: the shared ones, then its own."""
    own = SOURCES[source]
    names = {c.name for c in own}
    shared = tuple(c for c in COMMON if c.name not in names)
    if source == "civil_persons":  # the spine: IIN, birth date, region and address always present
        shared = tuple(
            Column(c.name, c.types, nullable=False, values=c.values, check=c.check, message=c.message)
            if c.name in ("iin", "birth_date", "region", "address")
            else c
            for c in shared
        )
    return shared + own
