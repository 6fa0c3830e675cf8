"""Case files, matching and reports for the pilot Almeerse Burgerbaan."""

__version__ = "0.1.0"
