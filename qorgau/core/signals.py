"""Audit receivers for logins, logouts and failed logins (placeholder wiring; filled in by the audit module)."""
