"""Qt fixtures shared by the GUI tests: `tasks`, a real TaskManager shut down after the test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def tasks(qapp: Any) -> Iterator[Any]:
    """A TaskManager of the test's own; after the test it is shut down with nothing left to deliver."""
    from posapp.ui.tasks import TaskManager

    manager = TaskManager()
    yield manager
    manager.shutdown()
    assert not manager.busy
