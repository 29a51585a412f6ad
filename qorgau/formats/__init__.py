"""Locale formats Django does not ship (FORMAT_MODULE_PATH): Kazakh dates as Kazakhstan writes them."""
