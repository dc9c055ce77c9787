"""Scripts that print timings; harness.py is shared with tests/browser."""
