"""The PyInstaller recipe (packaging/posapp.spec) ships what the frozen app looks for at run time.

The spec is executed with PyInstaller's build steps replaced by recorders, so this runs without
PyInstaller; `bash packaging/smoke-bundle.sh` builds and runs the real bundle.
"""

from __future__ import annotations

import importlib
import pkgutil
import shutil
import sys
import types
from pathlib import Path
from typing import Any

import pytest

import posapp
import posapp.cli
from posapp import paths

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "posapp.spec"


def _walk_submodules(package: str, filter: Any = None) -> list[str]:
    module = importlib.import_module(package)
    names = [package] + [info.name for info in pkgutil.walk_packages(module.__path__, f"{package}.")]
    return [name for name in names if filter is None or filter(name)]


def run_spec(platform: str = "linux") -> dict[str, Any]:
    """Execute the spec as PyInstaller would, recording what it asks PyInstaller to build."""
    recorded: dict[str, Any] = {"exe": []}
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = _walk_submodules  # type: ignore[attr-defined]

    def analysis(scripts: list[str], **options: Any) -> Any:
        recorded["analysis"] = {"scripts": scripts, **options}
        return types.SimpleNamespace(pure=[], scripts=scripts, binaries=[], datas=options["datas"])

    def exe(*parts: Any, **options: Any) -> str:
        recorded["exe"].append(options)
        return options["name"]

    namespace = {
        "SPECPATH": str(SPEC.parent), "Analysis": analysis, "PYZ": lambda pure: pure,
        "EXE": exe, "COLLECT": lambda *parts, **options: recorded.setdefault("collect", options),
    }
    modules = {"PyInstaller": types.ModuleType("PyInstaller"),
               "PyInstaller.utils": types.ModuleType("PyInstaller.utils"),
               "PyInstaller.utils.hooks": hooks}
    saved_platform = sys.platform
    try:
        sys.modules.update(modules)
        sys.platform = platform
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    finally:
        sys.platform = saved_platform
        for name in modules:
            sys.modules.pop(name, None)
    return recorded


def test_every_subcommand_and_lazy_module_is_in_the_bundle():
    hidden = set(run_spec()["analysis"]["hiddenimports"])
    subcommands = {f"posapp.cli.{info.name}" for info in pkgutil.iter_modules(posapp.cli.__path__)}
    assert subcommands <= hidden, "pkgutil finds subcommands only among bundled modules"
    for lazily_imported in ("posapp.app", "posapp.ui.main_window", "posapp.providers.pod",
                            "posapp.render.receipt", "keyring.backends.SecretService"):
        assert lazily_imported in hidden
    assert not any(".migrations." in name for name in hidden), "revisions are data files"


def test_bundle_holds_resources_themes_and_migrations_where_the_app_looks(tmp_path, monkeypatch):
    """Lay the spec's data out as PyInstaller does, freeze `paths`, and read a theme and the
    migrations from there."""
    datas = run_spec()["analysis"]["datas"]
    bundle = tmp_path / "_internal"
    for source, target in datas:
        shutil.copytree(source, bundle / target)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert paths.project_root() == bundle
    assert (paths.fonts_dir() / "Vazirmatn-Regular.ttf").is_file()
    assert (paths.resources_dir() / "i18n" / "posapp_en.qm").is_file()
    assert (paths.resources_dir() / "icons" / "posapp.svg").is_file()
    themes = sorted(p.name for p in paths.themes_dir().iterdir() if (p / "theme.toml").is_file())
    assert themes == sorted(p.name for p in (ROOT / "themes").iterdir() if (p / "theme.toml").is_file())
    migrations = bundle / "posapp" / "storage" / "migrations"
    assert (migrations / "env.py").is_file()
    shipped = {p.name for p in (migrations / "versions").glob("*.py")}
    source = {p.name for p in (ROOT / "posapp" / "storage" / "migrations" / "versions").glob("*.py")}
    assert shipped == source


@pytest.mark.parametrize(("platform", "console_names"), [("linux", ["posapp"]), ("win32", ["posapp-cli"])])
def test_windows_gets_a_windowed_app_and_a_console_command(platform, console_names):
    executables = run_spec(platform)["exe"]
    assert [e["name"] for e in executables if e["console"]] == console_names
    assert executables[0]["name"] == "posapp"
