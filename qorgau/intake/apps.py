from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "qorgau.intake"
    label = "intake"
    verbose_name = _("Signals")

    def ready(self) -> None:
        from qorgau.core.panels import register_panel
        from qorgau.core.permissions import open_through

        from . import home
        from .queries import person_history

        home.register()
        register_panel(
            "people.person",
            "intake-history",
            template="intake/includes/person_panel.html",
            action="intake.view",
            context=lambda user, person: {"histories": [person_history(user, person)]},
            order=10,
        )
        # Whoever sees a signal may open (read) its parties' person records, within the signal's scope.
        open_through("people.Person", through="intake.SignalParty", field="person")
