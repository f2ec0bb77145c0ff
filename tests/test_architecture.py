"""The engine stays Qt-free, and the package ships what it needs."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

CHECK_CORE = """
import importlib, pkgutil, sys
import twconv_gui.core as core
for info in pkgutil.walk_packages(core.__path__, "twconv_gui.core."):
    importlib.import_module(info.name)
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6")
             or m.startswith("twconv_gui.gui") or m == "twconv_gui.app")
print(",".join(bad))
"""


def test_core_imports_neither_qt_nor_the_gui():
    result = subprocess.run(
        [sys.executable, "-c", CHECK_CORE], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


@pytest.mark.slow
def test_wheel_contains_resources_and_every_package(tmp_path):
    # Build from a fresh copy: an in-tree build/ folder would hide files the wheel lacks.
    root = Path(__file__).parents[1]
    source = tmp_path / "source"
    for name in ("twconv_gui", "resources"):
        shutil.copytree(root / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("twconv_gui-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "twconv_gui/resources/sample_export.csv",
        "twconv_gui/resources/twconv-gui.svg",
        "twconv_gui/resources/twconv-gui.desktop",
        "twconv_gui/core/reading/opening.py",
        "twconv_gui/gui/main_window.py",
        "twconv_gui/cli/__init__.py",
        "twconv_gui/core/upload/engine.py",
        "twconv_gui/sandbox/server.py",
    ):
        assert expected in names
    for init in (root / "twconv_gui").rglob("__init__.py"):
        assert init.relative_to(root).as_posix() in names  # pyproject lists every package
