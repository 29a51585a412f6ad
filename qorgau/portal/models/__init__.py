"""The portal's models: the public help page's content, the anonymous messages' references and
throttle, and the register of prevention activities."""

from .activities import Activity, ActivityKind, Audience, ReachUnit
from .content import HelpPage, PageSlug
from .messages import MessageThrottle, PublicMessage

__all__ = [
    "Activity",
    "ActivityKind",
    "Audience",
    "HelpPage",
    "MessageThrottle",
    "PageSlug",
    "PublicMessage",
    "ReachUnit",
]
