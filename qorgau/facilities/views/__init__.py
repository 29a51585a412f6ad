"""The facilities pages: the register, the manager's page, the vacancy search, the network."""
