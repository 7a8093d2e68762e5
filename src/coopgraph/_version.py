"""The package version (read by the build backend, so there is one place to change it)."""

__version__ = "0.1.0"
