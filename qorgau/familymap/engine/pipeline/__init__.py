"""The restartable family map pipeline (no Django): stages, their run directory and manifest."""

from .runner import MANIFEST, Stage, StageFailed, read_manifest, run_stages
from .stages import DRY_RUN, REFRESH, SAFETY, STAGE_NAMES, InputRejected, RunContext, inputs_as_of

__all__ = [
    "DRY_RUN",
    "MANIFEST",
    "REFRESH",
    "SAFETY",
    "STAGE_NAMES",
    "InputRejected",
    "RunContext",
    "Stage",
    "StageFailed",
    "inputs_as_of",
    "read_manifest",
    "run_stages",
]
