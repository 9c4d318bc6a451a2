"""posapp test suite."""
