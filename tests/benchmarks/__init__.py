"""Benchmarks for the speed and memory targets named in the issues; run with `python -m tests.benchmarks`."""
