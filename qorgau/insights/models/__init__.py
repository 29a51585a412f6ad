from .reports import ReportRun, ReportStatus

__all__ = ["ReportRun", "ReportStatus"]
