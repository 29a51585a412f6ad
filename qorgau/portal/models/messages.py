"""What the portal keeps of an anonymous "write to us" message: the signal it became (in the intake
register) and the hash of its one-time reference; and the throttle, which counts messages per sender
without storing the sender's address (a keyed hash of the address and the day, deleted after a day)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicMessage(models.Model):
    """The link from a reference (only its hash) to the signal the message was registered as."""

    signal = models.OneToOneField(
        "intake.Signal", on_delete=models.PROTECT, related_name="+", verbose_name=_("signal")
    )
    reference_hash = models.CharField(_("reference (hash)"), max_length=64, unique=True, editable=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    additions = models.PositiveSmallIntegerField(_("additions"), default=0)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("online message")
        verbose_name_plural = _("online messages")

    def __str__(self) -> str:
        return f"message#{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"message#{self.pk}"


class MessageThrottle(models.Model):
    """One accepted message from one sender bucket (HMAC of address and day), for the rate limit."""

    bucket = models.CharField(max_length=64, editable=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]
        indexes = [models.Index(fields=["bucket", "at"], name="throttle_bucket_at_idx")]

    def __str__(self) -> str:
        return f"throttle#{self.pk}"
