"""Helpers shared by the test folders: the emulator's pytest fixtures and direct database reads."""
