"""Templates are compiled once per process and shared by every app `create_app` makes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader

from webapp.templating import COMPILED_TEMPLATES, ProcessBytecodeCache


def test_a_further_app_renders_the_templates_without_compiling_them(
    app: Any, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.jinja_env.get_template("base.html")
    other = make_app(app.config)
    assert other.jinja_env.bytecode_cache is COMPILED_TEMPLATES

    def compile_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(other.jinja_env, "compile", compile_again)
    assert other.jinja_env.get_template("base.html").name == "base.html"


def test_a_changed_template_is_compiled_again(tmp_path: Path) -> None:
    cache = ProcessBytecodeCache()
    template = tmp_path / "note.html"

    def render() -> str:
        env = Environment(loader=FileSystemLoader(tmp_path), bytecode_cache=cache, autoescape=True)
        return env.get_template("note.html").render(name="Ada")

    template.write_text("Hello {{ name }}")
    assert render() == "Hello Ada"
    template.write_text("Goodbye {{ name }}")
    assert render() == "Goodbye Ada"
