"""The headless core: tag table, drivers' wiring, commands. Imports no Qt, ever."""
