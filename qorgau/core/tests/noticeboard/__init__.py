"""A tiny domain app that exists only in tests: installed by `modify_settings` in test_domains.py, it
must appear in the menu, the action catalogue, the default roles, the API, the home page and the
schedules without a line of core naming it."""
