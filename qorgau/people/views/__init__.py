"""People pages: persons (list, search, record), families and their members, consent."""
