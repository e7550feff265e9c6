"""The project's own setup files agree: environment.yml vs pyproject.toml,
README's commands vs .ci/run, the console script."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

import pytest
import yaml


def _name(req: str) -> str:
    return re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0].strip().lower().replace("_", "-")


def _spec(req: str) -> str:
    return req.replace(" ", "").lower().replace("_", "-")


@pytest.fixture(scope="module")
def pyproject(repo_dir):
    return tomllib.loads((repo_dir / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def env(repo_dir):
    return yaml.safe_load((repo_dir / "environment.yml").read_text(encoding="utf-8"))


def _pip_section(env) -> list[str]:
    sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(sections) == 1, "environment.yml needs exactly one pip: section"
    return [str(x) for x in sections[0]]


def test_environment_yml_shape(env):
    assert env["name"]
    assert env["channels"] == ["conda-forge"]
    plain = [d for d in env["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in plain and "pip" in plain
    pip = _pip_section(env)
    assert pip[-1] in ("-e .", "."), "the pip section must install this package"


def test_environment_yml_matches_pyproject_dependencies(env, pyproject):
    pip = [x for x in _pip_section(env) if x not in ("-e .", ".")]
    deps = pyproject["project"]["dependencies"]
    assert sorted(map(_spec, pip)) == sorted(map(_spec, deps)), (
        "environment.yml's pip section and pyproject.toml's dependencies differ: "
        f"only in environment.yml {sorted(set(map(_spec, pip)) - set(map(_spec, deps)))}, "
        f"only in pyproject.toml {sorted(set(map(_spec, deps)) - set(map(_spec, pip)))}"
    )
    assert len({_name(d) for d in deps}) == len(deps), "a dependency is listed twice"


def test_torch_is_pinned_below_the_local_cpu_build_limit(pyproject):
    torch = [d for d in pyproject["project"]["dependencies"] if _name(d) == "torch"]
    if torch:
        assert "<2.14" in torch[0].replace(" ", "")


def _readme_commands(repo_dir) -> list[str]:
    text = (repo_dir / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", text, flags=re.S)
    return [b.strip() for b in blocks[:2]]


def test_readme_top_two_commands(repo_dir):
    setup_run, tests = _readme_commands(repo_dir)
    assert setup_run.startswith("python3 -m venv .venv && .venv/bin/pip install -e .")
    assert re.search(r"\.venv/bin/analysis (load|report)\b", setup_run)
    assert "\n" not in setup_run and "\n" not in tests
    assert tests.startswith("python3 -m venv .venv && .venv/bin/pip install -e '.[test]'")
    assert tests.endswith("-m pytest")


def test_ci_run_runs_the_readme_test_command(repo_dir):
    script = repo_dir / ".ci" / "run"
    assert os.access(script, os.X_OK), ".ci/run must be executable"
    body = script.read_text(encoding="utf-8")
    assert body.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in body
    commands = [ln.strip() for ln in body.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    _, tests = _readme_commands(repo_dir)
    assert tests in commands, f".ci/run does not run the README's test command: {tests}"


def test_console_script_help():
    code = "import sys; from analysis.cli import main; sys.exit(main(['load', '--help']))"
    out = subprocess.run([sys.executable, "-c", code],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    for opt in ("--fields", "--tz", "--start", "--end", "--outlet", "--category",
                "--exclude-category", "--no-dedup", "--skipped", "--quiet", "--out"):
        assert opt in out.stdout
