"""Intake pages: signals (list, registration, detail, queue), working them, protective orders, export."""
