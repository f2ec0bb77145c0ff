"""The layer contracts in pyproject.toml hold, and each one catches the import it forbids."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

# One forbidden import per contract, each added where a careless change would put it: the
# contract's name, the module that gains the import, and what it imports.
VIOLATIONS = {
    "core stays free of Qt, the gui, the cli and the Sandbox": (
        "twconv_gui.core.reading.table",
        "twconv_gui.gui.session",
    ),
    "the preparation pipeline: upload -> prepare -> mapping -> normalize -> reading": (
        "twconv_gui.core.normalize.times",
        "twconv_gui.core.prepare.events",
    ),
    "the API side: upload and account use api, and not each other": (
        "twconv_gui.core.account.profiles",
        "twconv_gui.core.upload.journal",
    ),
    "api and account know nothing of spreadsheets": (
        "twconv_gui.core.api.client",
        "twconv_gui.core.reading.table",
    ),
    "the ground (errors, paths, logs, payload) uses no subsystem": (
        "twconv_gui.core.paths",
        "twconv_gui.core.account.profiles",
    ),
    "the Sandbox is a program of its own": ("twconv_gui.sandbox.server", "twconv_gui.core.errors"),
    "the twconv command never loads Qt or the gui": ("twconv_gui.cli.files", "PySide6"),
    "gui: the window over the steps, the steps over what they share": (
        "twconv_gui.gui.upload.form",
        "twconv_gui.gui.preview.page",
    ),
}


def lint_imports(tree: Path) -> str:
    command = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(command), str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout + result.stderr


@pytest.fixture
def tree_copy(tmp_path):
    shutil.copytree(
        ROOT / "twconv_gui", tmp_path / "twconv_gui", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def contract_verdicts(output: str) -> dict[str, str]:
    verdicts = {}
    for line in output.splitlines():
        for verdict in (" KEPT", " BROKEN"):
            if line.endswith(verdict):
                verdicts[line.removesuffix(verdict)] = verdict.strip()
    return verdicts


def test_every_contract_is_kept_by_the_tree_as_it_is(tree_copy):
    verdicts = contract_verdicts(lint_imports(tree_copy))
    assert verdicts == dict.fromkeys(VIOLATIONS, "KEPT")


def test_each_contract_breaks_on_the_import_it_forbids(tree_copy):
    for importer, imported in VIOLATIONS.values():
        module = tree_copy / (importer.replace(".", "/") + ".py")
        module.write_text(module.read_text() + f"\nimport {imported}  # noqa\n")
    output = lint_imports(tree_copy)
    verdicts = contract_verdicts(output)
    assert verdicts == dict.fromkeys(VIOLATIONS, "BROKEN")
    for importer, imported in VIOLATIONS.values():
        assert f"{importer} -> {imported}" in output
