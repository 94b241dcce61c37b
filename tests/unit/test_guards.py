"""Guards that fail loudly: the domain stays free of Flask, and migrations match the models."""

import ast
import pathlib

import pytest

DOMAIN = pathlib.Path(__file__).resolve().parents[2] / "app" / "domain"
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug", "app.extensions", "app.models")


def _imports(path: pathlib.Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(DOMAIN.rglob("*.py")), ids=lambda p: str(p.relative_to(DOMAIN)))
def test_domain_modules_import_nothing_from_the_web_or_the_database(path):
    bad = {name for name in _imports(path) if name.split(".")[0] in FORBIDDEN or name in FORBIDDEN}
    assert bad == set()
