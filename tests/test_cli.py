"""The `dossier` command as a user meets it: exit codes, Chinese messages, docs that cannot go stale."""
from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from audit.cli import main
from rules.registry import all_rules

REPO = Path(__file__).resolve().parents[1]


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_no_such_batch_is_a_usage_error(tmp_path):
    r = run("audit", str(tmp_path / "nope"), "-o", str(tmp_path / "out"))
    assert r.exit_code == 2
    assert "找不到材料文件夹" in r.output and "解决办法" in r.output


def test_out_inside_batch_refused(tmp_path):
    (tmp_path / "b").mkdir()
    r = run("audit", str(tmp_path / "b"), "-o", str(tmp_path / "b" / "out"))
    assert r.exit_code == 2
    assert "不得写入" in r.output
    assert not (tmp_path / "b" / "out").exists()


def test_rules_lists_only_implemented(tmp_path):
    r = run("rules", "--json")
    assert r.exit_code == 0
    listed = json.loads(r.output)
    assert [x["code"] for x in listed] == [x.code for x in all_rules()]
    assert all(x["checks"] and x["why"] for x in listed)
    plain = run("rules").output
    for x in all_rules():
        assert x.code in plain


def test_every_command_has_an_example_and_is_in_the_readme():
    readme = (REPO / "README.md").read_text("utf-8")
    for name, cmd in main.commands.items():
        assert "示例" in (cmd.help or ""), f"dossier {name} help lacks an example"
        assert f"dossier {name}" in readme, f"README does not mention dossier {name}"
    for r in all_rules():
        assert re.search(rf"\|\s*{r.code}\s*\|", readme), f"README lacks rule {r.code}"


def test_readme_first_screen_has_the_two_commands():
    head = "\n".join((REPO / "README.md").read_text("utf-8").splitlines()[:40])
    assert "make demo" in head and "make test" in head


def test_extract_text_file(tmp_path):
    f = tmp_path / "事迹材料.txt"
    f.write_text("张三同志事迹\n长期扎根一线。", "utf-8")
    r = run("extract", str(f), "--json", "--ocr", "null")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["pages"][0]["text"].startswith("张三同志事迹")
    assert set(doc) >= {"file", "sha256", "pages", "problems"}


def test_audit_of_bad_files_exits_zero_with_m03(tmp_path):
    b = tmp_path / "batch"
    n = b / "祥符区总工会" / "01-张三"
    n.mkdir(parents=True)
    (n / "证明材料.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")          # truncated
    (n / "审批表.pdf").write_bytes(b"")                                  # empty
    (n / "专利证书.wps").write_bytes(bytes(range(256)) * 4)              # unsupported
    out = tmp_path / "out"
    r = run("audit", str(b), "-o", str(out), "--ocr", "null", "--jobs", "1", "-q")
    assert r.exit_code == 0, r.output
    doc = json.loads((out / "findings.json").read_text("utf-8"))
    m03 = [f for f in doc["findings"] if f["code"] == "M03"]
    assert {Path(f["evidence"][0]["file"]).name for f in m03} == {"证明材料.pdf", "审批表.pdf", "专利证书.wps"}
    assert "Traceback" not in r.output
    assert "审核完成" in r.output


def test_sample_command_writes_batch_and_expected(tmp_path):
    r = run("sample", str(tmp_path / "s"), "--seed", "4", "--nominees", "4", "--units", "2")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "s" / "batch").is_dir()
    exp = json.loads((tmp_path / "s" / "expected.json").read_text("utf-8"))
    assert len(exp["nominees"]) == 4
    assert "已生成样例批次" in r.output


def test_unknown_engine_exits_3(tmp_path):
    (tmp_path / "b" / "单位").mkdir(parents=True)
    r = run("audit", str(tmp_path / "b"), "-o", str(tmp_path / "out"), "--ocr", "nosuch")
    assert r.exit_code == 3, r.output
    assert "错误" in r.output
