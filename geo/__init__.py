"""Places named in long-form journalism, located honestly and linked to their passages."""

__version__ = "0.3.0"
