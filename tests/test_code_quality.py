"""ruff and mypy over the packages, so the README's test command also gates style and types."""

import subprocess
import sys

from tests.conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    done = run("ruff", "check", "models", "extractor", "service", "tests", "benchmarks", "gold", "examples")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing() -> None:
    done = run("mypy")
    assert done.returncode == 0, done.stdout + done.stderr


def test_layers_point_one_way() -> None:
    """models imports nothing of ours; extractor never imports service."""
    for path in (ROOT / "models").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from extractor" not in text and "import extractor" not in text, path
        assert "from service" not in text and "import service" not in text, path
    for path in (ROOT / "extractor").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from service" not in text and "import service" not in text, path
