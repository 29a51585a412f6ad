"""The registry extracts the engine reads and their validation (docs/familymap.md "Input files").

    problems = validate_inputs(Path("var/familymap/inputs"))
    if problems: ...  # the set is rejected; the previous run stays current

Each problem names the source, the column (None for the whole file) and the 0-based rows at fault.
Checked with DuckDB, file by file: presence, columns and types, nulls, allowed values and ranges, unique
record ids; for the civil registry also unique person ids and IINs and valid IIN check digits.
"""

from __future__ import annotations

from qorgau.familymap.engine.inputs.files import source_path, source_relation
from qorgau.familymap.engine.inputs.schemas import SOURCE_NAMES, SOURCES, Column, columns
from qorgau.familymap.engine.inputs.validate import Problem, validate_inputs

__all__ = [
    "SOURCES",
    "SOURCE_NAMES",
    "Column",
    "Problem",
    "columns",
    "source_path",
    "source_relation",
    "validate_inputs",
]
