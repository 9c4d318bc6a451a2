"""Render test fixtures: the sample invoice and a renderer factory with the real themes."""

from __future__ import annotations

import pytest

from posapp.render.document import RenderOptions
from posapp.render.registry import clear_caches, render_invoice
from posapp.render.sample import SAMPLE_BRANDING, sample_invoice


@pytest.fixture(scope="session")
def sample():
    return sample_invoice()


@pytest.fixture
def render():
    """render(invoice, theme, **options) -> PDF bytes with the sample branding."""

    def _render(invoice, theme, branding=SAMPLE_BRANDING, **options):
        return render_invoice(invoice, branding, theme, RenderOptions(**options))

    return _render


@pytest.fixture
def fresh_caches():
    """Text and QR memoisation cleared before and after: for tests that patch the pipeline."""
    clear_caches()
    yield
    clear_caches()
