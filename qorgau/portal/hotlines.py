"""The hotlines the public page shows first, as data (the numbers are national and free of charge)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Hotline:
    number: str
    name: str | Promise
    what: str | Promise
    hours: str | Promise
    emergency: bool = False


HOTLINES = (
    Hotline(
        "102", _("Police"), _("When you or someone else is in danger now."), _("24 hours"), emergency=True
    ),
    Hotline(
        "111",
        _("Contact centre for families, women and children"),
        _("Advice, crisis centres, psychological and legal help; anonymous if you wish."),
        _("24 hours"),
    ),
    Hotline(
        "150",
        _("Children's and youth helpline"),
        _("For children and young people, and for their parents."),
        _("24 hours"),
    ),
    Hotline(
        "112",
        _("Single emergency number"),
        _("Ambulance, fire and rescue, police."),
        _("24 hours"),
        emergency=True,
    ),
)
