"""Support policies as code: YAML policies, checked and published as a support site."""

__version__ = "0.1.0"
