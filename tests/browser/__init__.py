"""Browser tests of report.html in headless Chromium, and the Chromium they (and bench/) start.

Only Debian's packages are used (``apt-get install chromium chromium-driver``, which ``make test``
does): Selenium is pointed at both binaries, so Selenium Manager never runs and nothing is
downloaded. The flags keep Chromium off the network (the report must open without one).
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,1000")


def missing() -> str | None:
    """Why Chromium cannot be driven here, or None."""
    if importlib.util.find_spec("selenium") is None:
        return "selenium is not installed (pip install -e '.[test]')"
    for p in (CHROMIUM, CHROMEDRIVER):
        if not os.access(p, os.X_OK):
            return f"{p} not found: apt-get install chromium chromium-driver (make test does)"
    return None


def start_chromium(profile_dir: Path):
    """A headless Chromium driven by chromedriver, its console kept for ``get_log('browser')``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile_dir}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=opts)
    driver.set_page_load_timeout(120)
    driver.set_script_timeout(60)
    return driver
