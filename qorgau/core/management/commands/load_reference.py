from typing import Any

from django.core.management.base import BaseCommand

from qorgau.core.models import Region, Role
from qorgau.core.reference import load_regions, load_roles


class Command(BaseCommand):
    help = "Load or update reference data: the 20 regions (population figures) and the default roles."

    def handle(self, *args: Any, **options: Any) -> None:
        created, updated = load_regions(Region)
        self.stdout.write(f"Regions: {created} created, {updated} updated.")
        created, existing = load_roles(Role)
        self.stdout.write(f"Roles: {created} created, {existing} already present (left as administered).")
