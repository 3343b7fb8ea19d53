"""Rules of the codebase that a reviewer would otherwise check by hand."""

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [p for p in ROOT.rglob("*.py") if not {".venv", "venv", "data", "test-results"} & set(p.parts)]


def test_no_python_file_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in SOURCES if (n := len(p.read_text().splitlines())) > 400}
    assert not long, f"split these files: {long}"


def test_only_pages_and_the_ui_package_import_streamlit():
    allowed = {ROOT / "app.py"}
    offenders = []
    for path in SOURCES:
        if path in allowed or (ROOT / "pages") in path.parents or (ROOT / "okrdash" / "ui") in path.parents:
            continue
        if (ROOT / "tests") in path.parents or (ROOT / "bench") in path.parents:
            continue  # tests and the benchmark drive the app through streamlit.testing
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"streamlit imported outside pages/ and okrdash/ui/: {sorted(set(offenders))}"


def test_no_unsafe_html_anywhere():
    needle = "unsafe_allow_html" + "=True"  # split so this file does not match itself
    hits = [str(p.relative_to(ROOT)) for p in SOURCES if needle in p.read_text()]
    assert not hits, f"raw HTML rendering enabled in {hits}"


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed (pip install -r requirements-dev.txt)")
def test_ruff_is_clean():
    result = subprocess.run(["ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_files_the_suite_starts_first_exist():
    """A renamed file in tests/conftest.py's LONGEST_FIRST would silently go back to the end of the run."""
    from tests.conftest import LONGEST_FIRST

    missing = [name for name in LONGEST_FIRST if not (ROOT / name).is_file()]
    assert not missing, f"LONGEST_FIRST names files that are gone: {missing}"
