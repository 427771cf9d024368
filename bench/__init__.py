"""Benchmarks with their data generators: ``python -m bench`` measures every figure and its floor."""
