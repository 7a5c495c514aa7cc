"""Bundled prompt and quiz banks, their loader and their validator."""
