"""Phoenix Luna Hub: the centre of the Phoenix career-coaching ecosystem."""

__version__ = "0.1.0"
