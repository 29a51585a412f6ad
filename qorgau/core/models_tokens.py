"""API tokens of named service clients (imported by qorgau.core.models, so it is part of the core app).

Only a SHA-256 hash of a key is stored: the clear key is shown once, when it is issued
(qorgau/core/api/tokens.py). A token authenticates as its owner, whose role and scope apply, and works
only until it expires or is revoked, and only while the owner is active and not locked out.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """One API client's credential: who it acts as, what the client is, and how long it may be used."""

    name = models.CharField(
        _("client"), max_length=100, help_text=_("The service client that uses the token, and what for.")
    )
    # The first characters of the clear key: enough to tell tokens apart in the admin, useless to log in.
    prefix = models.CharField(_("key prefix"), max_length=16, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("owner"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        # No owner name here: this text lands in audit rows (object_repr).
        return f"{self.name} ({self.prefix}...)"

    def is_usable(self, at: dt.datetime | None = None) -> bool:
        """Neither revoked nor expired (the owner's state is checked by the authentication)."""
        return self.revoked_at is None and self.expires_at > (at or timezone.now())
