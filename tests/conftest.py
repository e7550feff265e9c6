"""Shared fixtures: paths to the project's sample corpus and to ../shared.

Real-data tests use ``shared_dir`` / ``ant_corpus`` / ``seed_page`` and are
skipped when ``../shared`` (beside the repository) is absent.
"""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ANT = SHARED / "data" / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz"
SEED = SHARED / "seeds" / "000_295cc1927cace742.txt"
SAMPLE = REPO / "data" / "sample"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture(scope="session")
def ant_corpus() -> Path:
    if not ANT.is_file():
        pytest.skip("../shared/data/ant_multisource is absent")
    return ANT


@pytest.fixture(scope="session")
def seed_page() -> Path:
    if not SEED.is_file():
        pytest.skip("../shared/seeds is absent")
    return SEED
