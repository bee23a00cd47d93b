"""report.pdf (reports.pdf): headless Chromium prints a CJK report; failures say how to fix."""
from __future__ import annotations

import base64
import io
import os
import sys
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from audit.cli import main
from audit.errors import AuditError
from reports.pdf import ENV_BROWSER, PdfError, find_chromium, write_pdf

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="uses a shell script as the browser")


@pytest.fixture
def chromium():
    found = find_chromium()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but no Chromium is installed (apt-get install chromium)")
        pytest.skip("no Chromium installed (sudo apt-get install chromium); PDF rendering not checked")
    return found


def _png_data_uri() -> str:
    buf = io.BytesIO()
    Image.new("RGB", (120, 60), (200, 30, 30)).save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _report(tmp_path: Path) -> Path:
    html = tmp_path / "report.html"
    html.write_text(f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>审核报告</title>
<style>@page {{ size: A4; margin: 15mm }} .page2 {{ break-before: page }}
body {{ font-family: "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif }}</style></head>
<body><h1>开封工匠推荐材料审核报告</h1>
<p>推荐单位：开封市龙亭区总工会。身份证号 410202********1234。</p>
<table border="1"><tr><th>规则</th><th>问题说明</th></tr><tr><td>D01</td><td>身份证号校验码错误</td></tr></table>
<img src="{_png_data_uri()}" alt="证据截图">
<section class="page2"><h2>附录：规则目录</h2><p>第二页的内容</p></section>
</body></html>""", "utf-8")
    return html


def test_renders_cjk_report(tmp_path, chromium):
    pdf = tmp_path / "out" / "report.pdf"
    write_pdf(_report(tmp_path), pdf)
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2                                   # the page break is kept
    w, h = (float(v) for v in reader.pages[0].mediabox[2:])
    assert abs(w - 595) < 3 and abs(h - 842) < 3                    # A4 from @page
    # the text is searchable as written: a TrueType CJK font (WenQuanYi) is embedded as a CID
    # font; Chromium embeds the CFF-based Noto CJK as Type 3 glyphs whose text map says ⼯ for
    # 工 and ⻰ for 龙 (see reports.pdf)
    text = "".join(p.extract_text() for p in reader.pages)
    assert "开封工匠推荐材料审核报告" in text and "开封市龙亭区总工会" in text
    assert "身份证号校验码错误" in text and "第二页的内容" in text
    assert not re.search(r"[\u2e80-\u2fdf]", text)
    assert len(reader.pages[0].images) == 1                        # the embedded evidence image
    assert not any(p.name.endswith(".tmp") for p in pdf.parent.iterdir())


def test_missing_browser_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_BROWSER, str(tmp_path / "no-such-browser"))
    with pytest.raises(PdfError) as e:
        write_pdf(_report(tmp_path), tmp_path / "report.pdf")
    assert isinstance(e.value, AuditError) and e.value.exit_code == 3
    assert "Chromium" in e.value.message and "sudo apt-get install chromium" in e.value.fix
    assert not (tmp_path / "report.pdf").exists()


def test_no_browser_on_path(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_BROWSER, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium() is None


def _fake_browser(tmp_path: Path, body: str) -> Path:
    exe = tmp_path / "fake-chromium"
    exe.write_text("#!/bin/sh\n" + body + "\n", "utf-8")
    exe.chmod(0o755)
    return exe


@posix_only
def test_browser_failure_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_BROWSER, str(_fake_browser(tmp_path, "echo 'FATAL: cannot open display' >&2; exit 7")))
    with pytest.raises(PdfError) as e:
        write_pdf(_report(tmp_path), tmp_path / "report.pdf")
    assert "退出码 7" in e.value.message and "cannot open display" in e.value.message
    assert not (tmp_path / "report.pdf").exists()


@posix_only
def test_browser_without_output_is_a_failure(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_BROWSER, str(_fake_browser(tmp_path, "exit 0")))
    with pytest.raises(PdfError, match="未能生成"):
        write_pdf(_report(tmp_path), tmp_path / "report.pdf")


@posix_only
def test_timeout_stops_the_browser_and_its_children(tmp_path, monkeypatch):
    pidfile = tmp_path / "child.pid"
    monkeypatch.setenv(ENV_BROWSER, str(_fake_browser(tmp_path, f"sleep 60 & echo $! > {pidfile}; wait")))
    with pytest.raises(PdfError, match="超时"):
        write_pdf(_report(tmp_path), tmp_path / "report.pdf", timeout=1)
    child = int(pidfile.read_text().strip())
    for _ in range(50):                                             # reaped by init: wait for it to go
        if not Path(f"/proc/{child}").exists() or "Z" in _state(child):
            break
        time.sleep(0.1)
    assert not Path(f"/proc/{child}").exists() or "Z" in _state(child)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return "Z"


def test_missing_html(tmp_path):
    with pytest.raises(PdfError, match="找不到要转换的报告"):
        write_pdf(tmp_path / "nope.html", tmp_path / "report.pdf")


def test_audit_command_offers_pdf():
    out = CliRunner().invoke(main, ["audit", "--help"]).output
    assert "--pdf" in out and "chromium" in out


def _fake_result(batch: Path):
    from types import SimpleNamespace

    from audit.model import AuditContext, Finding, Severity, Span
    from audit.profile import load_profile
    ctx = AuditContext(profile=load_profile())
    f = Finding(code="D01", severity=Severity.HIGH, unit="开封市龙亭区总工会", nominee="张三",
                message="身份证号 410202197805061234 校验码错误",
                evidence=[Span(file="开封市龙亭区总工会/张三/审批表.docx", page=1, box=(1, 2, 3, 4), text="x")],
                id="F0001")
    return SimpleNamespace(ctx=ctx, profile=ctx.profile, findings=[f], tool_version="t", run_id="r1",
                           finished="2021-06-01T00:00:00+08:00", batch=str(batch), extractions={},
                           stats={"pages": 1, "ocr_pages": 0, "rule_errors": [], "seconds": {"total": 1.0}})


def test_audit_pdf_without_browser_keeps_other_outputs(tmp_path, monkeypatch):
    """`dossier audit … --pdf` with no Chromium: exit code 3, the fix in Chinese, and the
    other outputs written all the same."""
    import audit.pipeline
    batch, out = tmp_path / "batch", tmp_path / "out"
    batch.mkdir()
    monkeypatch.setattr(audit.pipeline, "run_audit", lambda *a, **k: _fake_result(batch))
    monkeypatch.setenv(ENV_BROWSER, str(tmp_path / "no-such-browser"))
    r = CliRunner().invoke(main, ["audit", str(batch), "-o", str(out), "--pdf", "-q"])
    assert r.exit_code == 3, r.output
    assert "sudo apt-get install chromium" in r.output and "report.pdf" in r.output
    assert {"findings.json", "report.html", "findings.xlsx"} <= {p.name for p in out.iterdir()}
    assert not (out / "report.pdf").exists()


def test_audit_pdf(tmp_path, monkeypatch, chromium):
    import audit.pipeline
    batch, out = tmp_path / "batch", tmp_path / "out"
    batch.mkdir()
    monkeypatch.setattr(audit.pipeline, "run_audit", lambda *a, **k: _fake_result(batch))
    r = CliRunner().invoke(main, ["audit", str(batch), "-o", str(out), "--pdf", "-q"])
    assert r.exit_code == 0, r.output
    text = "".join(p.extract_text() for p in PdfReader(out / "report.pdf").pages)
    assert "D01" in text and "410202197805061234" not in text
