"""The README's Python examples run as written, in order, in one namespace."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_readme_has_examples() -> None:
    assert len(_blocks()) >= 5


def test_readme_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)  # the examples write files
    # dont_inherit: this file's `from __future__ import annotations` must not leak into the
    # examples (pydantic models defined there need their annotations evaluated)
    namespace: dict[str, object] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. the shipped gains' NaN warning
        for k, block in enumerate(_blocks()):
            try:
                code = compile(block, f"README.md python block {k}", "exec", dont_inherit=True)
                exec(code, namespace)  # noqa: S102
            except Exception as exc:  # noqa: BLE001 - report which block broke
                pytest.fail(f"README python block {k} fails: {type(exc).__name__}: {exc}")
