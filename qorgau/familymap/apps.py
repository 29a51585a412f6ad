from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamilymapConfig(AppConfig):
    name = "qorgau.familymap"
    label = "familymap"
    verbose_name = _("Family risk map")
    # What the app declares to core (actions, grants, menu): registry.py. The engine (engine/) is plain
    # Python with no Django imports; this app runs it as a background task and stores its results.
