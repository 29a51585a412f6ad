"""Django's own messages that its Kazakh and Russian catalogues do not translate yet: marked here so that
`make makemessages` keeps them in ours (LOCALE_PATHS come before Django's catalogues)."""

from django.utils.translation import gettext_lazy as _

STRINGS = [
    # django.db.models.fields.BLANK_CHOICE_LABEL (Django 6.1): the empty option of every optional select.
    _("- Select an option -"),
]
