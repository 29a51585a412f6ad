"""What an idempotent creation remembers (imported by qorgau.core.models, so it is part of the core app).

One row per agency, operation and key: the fingerprint of the request that used the key and the record it
created (by type and id). No personal data: ids, a hash and the operation's name. Written and read by
`qorgau.core.idempotency` only, inside the creating service's transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """A key used for one creating request: a retry with it returns `obj` instead of creating again."""

    # Keys are unique per agency (staff without an agency: per user).
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    operation = models.CharField(_("operation"), max_length=64)
    key = models.CharField(_("idempotency key"), max_length=64)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("type of record")
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "operation", "key"],
                condition=Q(agency__isnull=False),
                name="idempotency_unique_per_agency",
            ),
            models.UniqueConstraint(
                fields=["created_by", "operation", "key"],
                condition=Q(agency__isnull=True),
                name="idempotency_unique_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.key}"
