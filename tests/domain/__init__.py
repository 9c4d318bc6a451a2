"""Tests of the pure domain layer (no Qt, no database)."""
