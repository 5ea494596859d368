"""CoPlan: joint spatial planning for metropolitan areas."""

__version__ = "0.1.0"
