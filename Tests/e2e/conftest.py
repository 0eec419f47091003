"""Shared fixtures: the s7wb binary under test and the projects to open."""
import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(os.environ.get("S7WB_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def s7wb() -> str:
    binary = os.environ.get("S7WB_BIN", str(REPO / ".build" / "debug" / "s7wb"))
    if not os.access(binary, os.X_OK):
        pytest.fail(f"s7wb binary not found at {binary}; run `swift build` first or set S7WB_BIN")
    return binary


@pytest.fixture()
def sample_project(tmp_path) -> str:
    """A private copy of the bottling-line sample (without .s7wb state), so tests that change settings or files
    leave the repository's sample as it is."""
    import shutil

    target = tmp_path / "bottling-line"
    shutil.copytree(REPO / "sample-projects" / "bottling-line", target, ignore=shutil.ignore_patterns(".s7wb"))
    return str(target)


@pytest.fixture(scope="session")
def corpus_project() -> str:
    path = SHARED / "corpus" / "ikea_vyatka_sorting"
    if not path.is_dir():
        pytest.skip("../shared/corpus is not beside the repository")
    return str(path)
