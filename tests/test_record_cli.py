"""The record from the command line: audit → waive → re-audit → diff → verify (issue 7)."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from audit.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _batch(root: Path) -> Path:
    b = root / "batch"
    n = b / "祥符区总工会" / "01-张三"
    n.mkdir(parents=True)
    (n / "证明材料.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")          # truncated: M03
    (n / "审批表.pdf").write_bytes(b"")                                  # empty: M03
    return b


def _audit(b: Path, out: Path, ledger: Path) -> dict:
    r = run("audit", str(b), "-o", str(out), "--ocr", "null", "--jobs", "1", "-q", "--ledger", str(ledger))
    assert r.exit_code == 0, r.output
    return json.loads((out / "findings.json").read_text("utf-8"))


def test_waive_reaudit_diff_verify(tmp_path):
    b, ledger = _batch(tmp_path), tmp_path / "k.ledger.sqlite"
    first = _audit(b, tmp_path / "o1", ledger)
    m03 = next(f for f in first["findings"] if f["code"] == "M03" and f["evidence"][0]["file"].endswith("审批表.pdf"))
    r = run("waive", m03["id"], "--reason", "单位已补交纸质件<原件>", "--by", "王科长", "--ledger", str(ledger))
    assert r.exit_code == 0 and "已豁免" in r.output, r.output
    assert "王科长" in run("waivers", "--ledger", str(ledger)).output

    # the unit resubmits: the truncated PDF is replaced by a readable text file, a file is added
    (b / "祥符区总工会" / "01-张三" / "证明材料.pdf").unlink()
    (b / "祥符区总工会" / "01-张三" / "说明.txt").write_text("补充说明", "utf-8")
    second = _audit(b, tmp_path / "o2", ledger)
    again = next(f for f in second["findings"] if f["fingerprint"] == m03["fingerprint"])
    assert again["waived"]["by"] == "王科长" and again["waived"]["reason"] == "单位已补交纸质件<原件>"
    html = (tmp_path / "o2" / "report.html").read_text("utf-8")
    assert "单位已补交纸质件&lt;原件&gt;" in html and '<section id="diff">' in html
    assert second["diff"]["from"] == first["run_id"]
    assert any(f["code"] == "M03" for f in second["diff"]["resolved"])
    assert second["diff"]["files_added"] == ["祥符区总工会/01-张三/说明.txt"]

    d = run("diff", first["run_id"][:8], second["run_id"][:8], "--json", "--ledger", str(ledger))
    assert d.exit_code == 0, d.output
    assert json.loads(d.output)["files_removed"] == ["祥符区总工会/01-张三/证明材料.pdf"]
    runs = run("ledger", "runs", "--ledger", str(ledger)).output
    assert first["run_id"] in runs and second["run_id"] in runs
    assert run("ledger", "verify", "--ledger", str(ledger)).exit_code == 0


def test_edited_ledger_is_caught_and_a_foreign_file_refused(tmp_path):
    b, ledger = _batch(tmp_path), tmp_path / "k.ledger.sqlite"
    _audit(b, tmp_path / "o1", ledger)
    con = sqlite3.connect(ledger)
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
        con.execute(f'DROP TRIGGER "{name}"')
    con.execute("UPDATE records SET payload = replace(payload, 'M03', 'M04') WHERE seq = (SELECT max(seq) FROM records)")
    con.commit()
    con.close()
    r = run("ledger", "verify", "--ledger", str(ledger))
    assert r.exit_code == 4 and "已被改动" in r.output

    foreign = tmp_path / "other.sqlite"
    c = sqlite3.connect(foreign)
    c.execute("CREATE TABLE t (x)")
    c.commit()
    c.close()
    before = foreign.read_bytes()
    r = run("audit", str(b), "-o", str(tmp_path / "o3"), "--ocr", "null", "-q", "--ledger", str(foreign))
    assert r.exit_code == 2 and not (tmp_path / "o3" / "findings.json").exists()
    assert foreign.read_bytes() == before
    shutil.rmtree(tmp_path / "o1")


def test_search_and_a_complaint_from_add_to_conclusion(tmp_path):
    b, ledger = _batch(tmp_path), tmp_path / "k.ledger.sqlite"
    (b / "祥符区总工会" / "01-张三" / "说明.txt").write_text(
        "张三同志的专利 ZL201320035469.X 已转让，2019年创效 23.15万元。联系人 13812345678", "utf-8")
    out = tmp_path / "o1"
    _audit(b, out, ledger)
    assert (out / "index.sqlite").exists()
    r = run("search", str(out), "ZL 2013 2 0035469.X", "--json")
    assert r.exit_code == 0, r.output
    hits = json.loads(r.output)
    assert [h["file"] for h in hits] == ["祥符区总工会/01-张三/说明.txt"]
    assert "13812345678" not in r.output                       # masked in the index
    assert json.loads(run("search", str(b), "231500元", "--json", "--ledger", str(ledger)).output)  # by batch folder

    r = run("complaint", "add", "--nominee", "张三", "--text", "举报：“张三”的专利ZL201320035469.X不是他的<b>", "--by", "李四",
            "--ledger", str(ledger))
    assert r.exit_code == 0 and "第 1 号" in r.output, r.output
    r = run("complaint", "check", "1", str(out), "--ledger", str(ledger))
    assert r.exit_code == 0, r.output
    page = (out / "complaint-1.html").read_text("utf-8")
    assert "不是他的&lt;b&gt;" in page and "不是他的<b>" not in page
    assert "祥符区总工会/01-张三/说明.txt" in page and "M03" in page
    r = run("complaint", "conclude", "1", "--result", "不成立", "--reason", "专利权人为本人", "--by", "王科长",
            "--ledger", str(ledger))
    assert r.exit_code == 0 and "已办结" in r.output, r.output
    assert run("complaint", "conclude", "1", "--result", "成立", "--reason", "x", "--by", "y",
               "--ledger", str(ledger)).exit_code == 2
    listing = run("complaint", "list", "--ledger", str(ledger)).output
    assert "已办结" in listing and "不成立" in listing and "王科长" in listing
    assert run("ledger", "verify", "--ledger", str(ledger)).exit_code == 0


def test_two_audits_at_once_into_one_ledger(tmp_path):
    """Two `dossier audit` processes started together record both runs; the chain stays whole."""
    import os
    import subprocess
    import sys
    b, ledger = _batch(tmp_path), tmp_path / "k.ledger.sqlite"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    procs = [subprocess.Popen([sys.executable, "-m", "audit", "audit", str(b), "-o", str(tmp_path / f"o{i}"),
                               "--ocr", "null", "--jobs", "1", "-q", "--ledger", str(ledger)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env) for i in range(2)]
    outs = [p.communicate(timeout=300)[0].decode("utf-8", "replace") for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    ids = {json.loads((tmp_path / f"o{i}" / "findings.json").read_text("utf-8"))["run_id"] for i in range(2)}
    listed = run("ledger", "runs", "--ledger", str(ledger)).output
    assert len(ids) == 2 and all(i in listed for i in ids)
    assert run("ledger", "verify", "--ledger", str(ledger)).exit_code == 0


def test_waiver_survives_a_re_audit_with_re_ocrd_pages(tmp_path):
    """The same scan read again by another OCR (other boxes, a character misread): the finding on
    it keeps its fingerprint, so its waiver holds."""
    import hashlib
    from PIL import Image
    b, ledger = tmp_path / "batch", tmp_path / "k.ledger.sqlite"
    d = b / "祥符区总工会" / "01-张三"
    d.mkdir(parents=True)
    Image.new("RGB", (1200, 1600), "white").save(d / "专利证书.png")     # named a patent, reads as an honor
    sha = hashlib.sha256((d / "专利证书.png").read_bytes()).hexdigest()
    lines = [("荣誉证书", (450, 200, 750, 280)), ("张三同志：", (150, 400, 450, 450)),
             ("授予你“开封市劳动模范”称号。", (150, 500, 1000, 560)), ("特发此证", (150, 600, 400, 650)),
             ("开封市人民政府", (700, 1200, 1050, 1260)), ("二〇二〇年五月一日", (700, 1300, 1100, 1360))]
    for name, shift, slip in (("a.json", 0, False), ("b.json", 7, True)):
        rec = [{"text": "开封市人民政苻" if slip and t == "开封市人民政府" else t,
                "box": [v + shift for v in bx], "confidence": 0.97 if slip else 0.99} for t, bx in lines]
        (tmp_path / name).write_text(json.dumps({f"{sha}:1": rec}, ensure_ascii=False), "utf-8")

    def audit(out: str, replay: str) -> dict:
        r = run("audit", str(b), "-o", str(tmp_path / out), "--ocr", f"replay:{tmp_path / replay}", "-q",
                "--jobs", "1", "--no-second-reading", "--ledger", str(ledger))
        assert r.exit_code == 0, r.output
        return json.loads((tmp_path / out / "findings.json").read_text("utf-8"))
    first = audit("o1", "a.json")
    m04 = next(f for f in first["findings"] if f["code"] == "M04")
    assert run("waive", m04["id"], "--reason", "文件名写错，内容无误", "--by", "王科长", "--ledger", str(ledger)).exit_code == 0
    second = audit("o2", "b.json")
    again = next(f for f in second["findings"] if f["code"] == "M04")
    assert again["fingerprint"] == m04["fingerprint"] and again["waived"]["reason"] == "文件名写错，内容无误"
    assert not second["diff"]["new"] and not second["diff"]["resolved"]


def test_an_audit_killed_then_repeated(tmp_path):
    """`dossier audit` killed with SIGKILL at some point of its run leaves the ledger whole; the
    repeated audit completes and is recorded. (The kill inside the ledger's own transaction is
    pinned down in tests/audit/test_ledger.py.)"""
    import os
    import signal
    import subprocess
    import sys
    import time
    b, ledger = _batch(tmp_path), tmp_path / "k.ledger.sqlite"
    for i in range(30):                                  # enough files that the run takes a moment
        (b / "祥符区总工会" / "01-张三" / f"说明{i}.txt").write_text(f"第{i}份说明" * 200, "utf-8")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    cmd = [sys.executable, "-m", "audit", "audit", str(b), "-o", str(tmp_path / "o1"), "--ocr", "null",
           "--jobs", "1", "-q", "--ledger", str(ledger)]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    time.sleep(1.0)
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=30)
    if ledger.exists():
        assert run("ledger", "verify", "--ledger", str(ledger)).exit_code == 0
    done = _audit(b, tmp_path / "o2", ledger)
    assert done["run_id"] in run("ledger", "runs", "--ledger", str(ledger)).output
    assert run("ledger", "verify", "--ledger", str(ledger)).exit_code == 0


def test_revoked_waiver_no_longer_marks_the_finding(tmp_path):
    b, ledger = _batch(tmp_path), tmp_path / "k.ledger.sqlite"
    first = _audit(b, tmp_path / "o1", ledger)
    fid = first["findings"][0]["id"]
    assert run("waive", fid, "--reason", "已核", "--by", "王", "--ledger", str(ledger)).exit_code == 0
    r = run("waive", fid, "--revoke", "--reason", "复查有涂改", "--by", "李", "--ledger", str(ledger))
    assert r.exit_code == 0 and "已撤销豁免" in r.output, r.output
    assert "撤销豁免，李：复查有涂改" in run("waivers", "--ledger", str(ledger)).output
    again = _audit(b, tmp_path / "o2", ledger)
    assert all(f["waived"] is None for f in again["findings"])
    assert run("waive", fid, "--revoke", "--reason", "x", "--by", "y", "--ledger", str(ledger)).exit_code == 2
