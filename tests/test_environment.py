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


#: the extras environment.yml installs besides the default dependencies (the full research environment)
RESEARCH_EXTRAS = ("camel", "dask")


def test_environment_yml_matches_pyproject_dependencies(env, pyproject):
    pip = [x for x in _pip_section(env) if x not in ("-e .", ".")]
    deps = list(pyproject["project"]["dependencies"])
    extras = pyproject["project"]["optional-dependencies"]
    full = deps + [d for name in RESEARCH_EXTRAS for d in extras[name]]
    assert sorted(map(_spec, pip)) == sorted(map(_spec, full)), (
        "environment.yml's pip section and pyproject.toml's dependencies + extras "
        f"{RESEARCH_EXTRAS} differ: only in environment.yml {sorted(set(map(_spec, pip)) - set(map(_spec, full)))}, "
        f"only in pyproject.toml {sorted(set(map(_spec, full)) - set(map(_spec, pip)))}"
    )
    assert len({_name(d) for d in full}) == len(full), "a dependency is listed twice"


def test_default_install_has_jupyterlab_and_no_torch(pyproject):
    names = {_name(d) for d in pyproject["project"]["dependencies"]}
    assert {"jupyterlab", "ipywidgets", "ipykernel"} <= names  # researchers work in JupyterLab
    # camel-tools (and torch with it) is an opt-in extra, not a hard dependency
    assert not names & {"camel-tools", "torch", "transformers", "dask", "distributed"}


def test_test_extra_installs_the_optional_engines(pyproject):
    test = [_spec(d) for d in pyproject["project"]["optional-dependencies"]["test"]]
    assert "analysis[camel,dask]" in test


def test_default_dependencies_are_imported(repo_dir, pyproject):
    """A dependency that is never imported does not belong in the default install."""
    import_names = {"pyyaml": "yaml", "scikit-learn": "sklearn", "python-dateutil": "dateutil",
                    "pyahocorasick": "ahocorasick", "fontpkg-noto-sans-arabic": "fontpkg_noto_sans_arabic"}
    used_only_by_users = {"jupyterlab", "ipywidgets", "ipykernel"}  # the environment researchers work in
    source = "\n".join(p.read_text(encoding="utf-8") for p in (repo_dir / "src" / "analysis").rglob("*.py"))
    for dep in pyproject["project"]["dependencies"]:
        name = _name(dep)
        if name in used_only_by_users:
            continue
        mod = import_names.get(name, name.replace("-", "_"))
        assert re.search(rf"(import|from)\s+{re.escape(mod)}\b|[\"']{re.escape(mod)}[\"']", source), (
            f"{name} is a default dependency but src/analysis never imports it")


def test_torch_is_pinned_below_the_local_cpu_build_limit(pyproject):
    torch = [d for ds in pyproject["project"]["optional-dependencies"].values() for d in ds
             if _name(d) == "torch"]
    assert torch, "the camel extra needs torch, capped"
    for t in torch:
        assert "<2.14" in t.replace(" ", "")


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
