"""Fixtures and helpers the whole suite shares, each with one home (registered in tests/conftest.py)."""
