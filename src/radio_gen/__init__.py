"""radio-gen: the daily program of a Vietnamese district or commune radio station."""

__version__ = "0.1.0"
