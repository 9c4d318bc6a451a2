"""`posapp provider list` and `provider configure` piped into a reader that stops early (`| head`)
end quietly: no BrokenPipe traceback reaches the terminal."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from posapp.paths import project_root


def run_into_closed_pipe(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run `posapp ARGV` with stdout a pipe whose reader is already gone, as `| head -0` leaves
    it, so every write the command makes fails with EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = dict(os.environ, PYTHONPATH=str(project_root()),
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    try:
        return subprocess.run([sys.executable, "-m", "posapp", *argv], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, env=env, timeout=60, check=False)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("argv", [("provider", "list"),
                                  ("provider", "configure", "pod", "--no-prompt",
                                   "--guild-code", "INFORMATION_TECHNOLOGY_GUILD")])
def test_provider_output_into_a_closed_pipe_ends_without_a_traceback(argv):
    result = run_into_closed_pipe(*argv)
    assert "Traceback" not in result.stderr
    assert "BrokenPipeError" not in result.stderr
    assert result.returncode == 141
