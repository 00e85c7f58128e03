"""Axis Explorer: who lines up with whom, against whom, since when, and on what evidence."""

__version__ = "0.1.0"
