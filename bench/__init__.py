"""Benchmarks: `python -m bench.<name>`; each prints human lines, then one JSON object as its last line."""
