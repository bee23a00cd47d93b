"""report.pdf: report.html printed by headless Chromium (Debian's ``chromium`` package).

Chromium rather than WeasyPrint (measured on our sample report, 52 A4 pages: 3.0 s against
13.3 s, and 9 s against 63 s at five times the size): the PDF is laid out by the engine the
report is tested in and read in, and Chromium is already needed for the browser tests, so the
PDF adds no Python dependency. One thing to know: Chromium embeds CFF-based CJK fonts (Debian's
Noto Sans CJK) as Type 3 glyphs whose text map reads ``⼯`` for 工 and ``⻰`` for 龙, so the
report's print stylesheet must name a TrueType CJK font first (WenQuanYi Micro Hei) to keep the
PDF's text searchable.

Each run uses a fresh browser profile in a temporary folder; the PDF is written there and
moved into place only when complete, so a failure leaves no half-written file (and the audit's
other outputs are written before the PDF).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

from audit.errors import EngineError

__all__ = ["PdfError", "write_pdf", "find_chromium", "BROWSERS"]

#: program names tried in order (Debian, Ubuntu/others, Google's builds)
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: an explicit browser program, for machines where it lives elsewhere
ENV_BROWSER = "DOSSIER_CHROMIUM"
FIX_INSTALL = (f"请安装 Chromium 浏览器：sudo apt-get install chromium（或把环境变量 {ENV_BROWSER} "
               "设为浏览器程序的路径），然后重新运行并加 --pdf。其他结果文件已经写好，不受影响。")


class PdfError(EngineError):
    """report.pdf could not be made: no browser, or the browser failed (exit code 3, as for
    a missing OCR engine: an outside program the run needs)."""


def find_chromium() -> Optional[str]:
    """The browser program to print with: ``$DOSSIER_CHROMIUM`` when set, else the first of
    :data:`BROWSERS` on the PATH; None when there is none."""
    explicit = os.environ.get(ENV_BROWSER)
    if explicit:
        return explicit if (os.path.isfile(explicit) and os.access(explicit, os.X_OK)) else shutil.which(explicit)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def write_pdf(html: Path, pdf: Path, *, timeout: float = 180) -> None:
    """Print ``html`` to ``pdf`` (A4 unless the page's ``@page`` says otherwise, no browser
    header or footer). Raises :class:`PdfError` with a fix-it message in Chinese."""
    html, pdf = Path(html), Path(pdf)
    if not html.is_file():
        raise PdfError(f"找不到要转换的报告：{html}", "请先生成 report.html。")
    browser = find_chromium()
    if browser is None:
        raise PdfError("未找到 Chromium 浏览器，无法生成 report.pdf。", FIX_INSTALL)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dossier-pdf-") as tmp:
        out = Path(tmp) / "report.pdf"
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-extensions", "--disable-dev-shm-usage", "--mute-audio", "--no-default-browser-check",
               "--no-pdf-header-footer", "--print-to-pdf-no-header",   # the second for Chromium before 120
               f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={out}",
               html.resolve().as_uri()]
        env = dict(os.environ, HOME=tmp, XDG_CONFIG_HOME=tmp, XDG_CACHE_HOME=tmp)
        rc, err = _run(cmd, env, timeout)
        if rc is None:
            raise PdfError(f"生成 report.pdf 超时（超过 {timeout:g} 秒），已停止浏览器；其他结果文件已写好。",
                           "报告很大时可稍后重试；也可以在浏览器中打开 report.html，用“打印 → 另存为 PDF”。")
        ok = out.is_file() and out.stat().st_size > 0 and out.read_bytes()[:5] == b"%PDF-"
        if rc != 0 or not ok:
            detail = _last_lines(err)
            raise PdfError(f"Chromium 未能生成 report.pdf（退出码 {rc}）" + (f"：{detail}" if detail else "")
                           + "。其他结果文件已写好。",
                           "请确认 Chromium 能正常运行（chromium --headless --version）；也可以在浏览器中"
                           "打开 report.html，用“打印 → 另存为 PDF”。")
        tmp_target = pdf.with_name(pdf.name + ".tmp")
        shutil.copyfile(out, tmp_target)
        tmp_target.replace(pdf)


def _run(cmd: list[str], env: dict, timeout: float) -> tuple[Optional[int], str]:
    """Run the browser in its own process group; on timeout kill the whole group (Chromium
    starts helper processes) and return ``(None, stderr)``."""
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                start_new_session=True)
    except OSError as e:
        raise PdfError(f"无法启动浏览器 {cmd[0]}：{e}", FIX_INSTALL) from e
    try:
        _, err = proc.communicate(timeout=timeout)
        return proc.returncode, err.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        _, err = proc.communicate()
        return None, err.decode("utf-8", "replace")


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (AttributeError, ProcessLookupError, PermissionError):  # Windows, or already gone
        proc.kill()


def _last_lines(err: str, n: int = 2) -> str:
    """The last lines of Chromium's stderr that say something (its log is mostly noise)."""
    lines = [ln.strip() for ln in err.splitlines() if ln.strip() and "dbus" not in ln.lower()]
    return " ".join(lines[-n:])[:300]
