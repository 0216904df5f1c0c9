"""Benchmarks: corpus generator and (later) the engine comparison harness."""
