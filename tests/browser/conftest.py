"""One headless Chromium per test session; skipped where it is not installed, except on CI."""
from __future__ import annotations

import os

import pytest

from tests.browser import missing, start_chromium


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    why = missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"{why}; CI installs it, so this is an install bug", pytrace=False)
        pytest.skip(why)
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()
