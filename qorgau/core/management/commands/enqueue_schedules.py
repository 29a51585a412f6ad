from typing import Any

from django.core.management.base import BaseCommand

from qorgau.core.scheduling import enqueue_due


class Command(BaseCommand):
    help = "Enqueue the background schedules the installed apps declare that are due (run every minute)."

    def handle(self, *args: Any, **options: Any) -> None:
        enqueued = enqueue_due()
        self.stdout.write(f"Enqueued: {', '.join(enqueued) or 'nothing due'}.")
