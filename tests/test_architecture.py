"""The layers of the apps (the contract in .importlinter) hold, and the check catches an
upward import: both run the real import-linter command, as a developer would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the ``apps`` package found in ``root``, with ``root``'s contract."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / ".importlinter"), "--no-cache"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_app_imports_only_the_apps_below_it():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "violation"),
    [
        # core reaching up to an app, lazily inside a function
        (
            "core/permissions.py",
            "def _upward():\n    from apps.vlr.models import Edition\n",
            "apps.core.permissions -> apps.vlr.models",
        ),
        # vlr importing the notifications it only calls through listen()
        (
            "vlr/services.py",
            "from apps.notifications.services import notify\n",
            "apps.vlr.services -> apps.notifications.services",
        ),
        # an app reaching the top app's pages
        (
            "municipalities/pages.py",
            "import apps.portal.views\n",
            "apps.municipalities.pages -> apps.portal.views",
        ),
    ],
)
def test_an_upward_import_breaks_the_contract(tmp_path, module, line, violation):
    shutil.copytree(
        REPO / "apps", tmp_path / "apps", ignore=shutil.ignore_patterns("__pycache__", "templates")
    )
    shutil.copy(REPO / ".importlinter", tmp_path / ".importlinter")
    assert lint_imports(tmp_path).returncode == 0  # the copy alone keeps the contract
    with open(tmp_path / "apps" / module, "a", encoding="utf-8") as handle:
        handle.write("\n\n" + line)

    result = lint_imports(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 0 kept, 1 broken." in result.stdout
    assert violation in result.stdout
