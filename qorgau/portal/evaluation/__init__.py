"""The analytic engine of the campaign evaluation: plain Python, no Django (ARCHITECTURE.md)."""

from .its import Fit, fit_segmented

__all__ = ["Fit", "fit_segmented"]
