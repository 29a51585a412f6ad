from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "qorgau.facilities"
    label = "facilities"
    verbose_name = _("Facilities")
    # What the app declares to core (actions, grants, menu, queues, schedules, panels): registry.py.
