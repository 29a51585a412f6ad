"""The family map's test world: analysts in Astana and Shymkent, districts, a linked set, a refresh."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qorgau.core.models import User
from qorgau.core.permissions import Scope
from qorgau.core.testing import DistrictFactory, Personas, UserFactory, role

from ..models import Run
from ..services import do_start_refresh, execute_run
from .engine_data import DISTRICTS, write_linked


@dataclass
class MapWorld:
    p: Personas
    analyst: User  # Astana, regions scope
    shymkent_analyst: User
    linked: dict[str, Path]

    def link(self) -> Any:
        def link(inputs_dir: Path, out_dir: Path, *, threads: int | None = None) -> dict[str, int]:
            out_dir.mkdir(parents=True, exist_ok=True)
            for name, path in self.linked.items():
                if name != "safety":
                    shutil.copy(path, out_dir / path.name)
            return {"rows": 1}

        return link

    def refresh_queued(self, actor: User | None = None) -> Run:
        return do_start_refresh(actor=actor or self.analyst)

    def refresh(self, actor: User | None = None, **overrides: Any) -> Run:
        """A refresh run to its end on the world's linked set (validation passes, linkage copies)."""
        run = do_start_refresh(actor=actor or self.analyst)
        safety = Path(run.run_dir) / "safety.parquet"
        safety.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.linked["safety"], safety)
        options = {"validate": lambda inputs_dir: [], "link": self.link()} | overrides
        return execute_run(run.pk, **options)


def analyst(username: str, personas: Personas, region: Any) -> User:
    agency = personas.astana_police if region == personas.astana else personas.shymkent_crisis
    user = UserFactory.create(
        username=username, agency=agency, role=role("analyst"), scope=Scope.REGIONS, regions=[region]
    )
    return User.objects.get(pk=user.pk)


def make_world(personas: Personas, tmp_path: Path, families: int = 150) -> MapWorld:
    for region_code, code in DISTRICTS:
        DistrictFactory.create(
            code=code, region=personas.astana if region_code == "KZ-71" else personas.shymkent
        )
    return MapWorld(
        p=personas,
        analyst=analyst("map_analyst", personas, personas.astana),
        shymkent_analyst=analyst("map_analyst_shymkent", personas, personas.shymkent),
        linked=write_linked(tmp_path / "prepared", families_count=families),
    )
