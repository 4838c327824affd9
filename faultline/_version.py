"""The package version, in a leaf module: stages read it without importing the package."""

__version__ = "0.1.0"
