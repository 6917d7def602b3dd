"""Every command line of the README works as typed from the clone: `manage.py` always through the
venv's interpreter, with a command that exists; `make` only with targets the Makefile has; every
`.venv/bin/` tool installed."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
README = (ROOT / "README.md").read_text(encoding="utf-8")
# What a reader copies: fenced blocks and `inline code`.
CODE = re.findall(r"```[a-z]*\n(.*?)```", README, re.DOTALL) + re.findall(
    r"`([^`\n]+)`", re.sub(r"```.*?```", "", README, flags=re.DOTALL)
)
TARGETS = set(re.findall(r"^([\w.-]+):", (ROOT / "Makefile").read_text(), re.MULTILINE))


def test_every_manage_py_line_names_the_venv_and_an_existing_command():
    uses = [(m.group(1), m.group(2)) for code in CODE for m in re.finditer(r"(\S*)\s*manage\.py (\w+)", code)]
    assert len(uses) > 20
    for prefix, command in uses:
        assert prefix == ".venv/bin/python", f"{prefix} manage.py {command}: name the venv's interpreter"
        assert command in get_commands(), command


def test_every_make_line_names_an_existing_target():
    uses = []
    for code in CODE:
        for m in re.finditer(
            r"(?:^|[\s(;&|])make((?: [A-Z_]+=(?:\"[^\"]*\"|\S+))*) ([a-z][\w-]*)", code, re.MULTILINE
        ):
            uses.append(m.group(2))
    assert {"run", "test", "postgres", "screenshots", "passwords", "evaluate"} <= set(uses)
    assert set(uses) <= TARGETS, set(uses) - TARGETS


def test_every_venv_tool_the_readme_names_is_installed():
    tools = {m for code in CODE for m in re.findall(r"\.venv/bin/([\w-]+)", code)}
    assert {"python", "schemathesis", "gunicorn"} <= tools
    for tool in tools:
        assert (ROOT / ".venv" / "bin" / tool).exists(), tool
