"""Benchmarks: our bot against a bare discord.py baseline, both driven through the local sandbox."""
