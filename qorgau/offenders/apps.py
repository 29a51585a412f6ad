from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffendersConfig(AppConfig):
    name = "qorgau.offenders"
    label = "offenders"
    verbose_name = _("Offenders")
    # What the app declares to core (actions, roles, grants, menu, queues, schedules, panels): registry.py.
