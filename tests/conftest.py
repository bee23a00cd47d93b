"""Shared test fixtures. The fast suite never runs a real OCR engine (see the `ocr` marker)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Each test session gets its own OCR cache and ledger folder, never the user's."""
    cache = tmp_path_factory.getbasetemp() / "ocr-cache"
    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(cache))
    monkeypatch.setenv("DOSSIER_DATA_DIR", str(tmp_path_factory.getbasetemp() / "data"))
    yield


def pytest_collection_modifyitems(config, items):
    if os.environ.get("DOSSIER_SKIP_OCR"):
        skip = pytest.mark.skip(reason="DOSSIER_SKIP_OCR set")
        for item in items:
            if "ocr" in item.keywords:
                item.add_marker(skip)
