"""The ledger (audit/ledger.py): append-only, hash-chained, ours-or-refused, concurrent, crash-safe.

Tampering tests edit the SQLite file directly, as someone with the file and the sqlite3 shell
would: drop the triggers first, then update/delete rows.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import datetime
from pathlib import Path

import pytest

from audit.errors import UsageError
from audit.ledger import (APPLICATION_ID, GENESIS, Broken, Ledger, LedgerError, canonical,
                          default_ledger_path, record_hash)

REPO = Path(__file__).resolve().parents[2]


def make_doc(run_id: str, n: int = 3, *, at: str = "2026-11-26T11:41:35+08:00", fp_prefix: str = "") -> dict:
    findings = []
    for i in range(1, n + 1):
        findings.append({
            "id": f"F{i:04d}",
            "fingerprint": f"{fp_prefix}{hashlib.sha256(f'{run_id}{i}'.encode()).hexdigest()}"[:20],
            "code": "V04", "severity": "high", "unit": "开封市兰考县总工会", "nominee": "严俊宏",
            "nominees": [],
            "message": f"第 {i} 条：<b>“严俊宏”</b>的证明 & 材料不符",
            "evidence": [{"file": "开封市兰考县总工会/01-严俊宏/证明.pdf", "page": i, "bbox": [1.5, 2, 3, 4],
                          "text": "OCR 文字"},
                         {"file": "开封市兰考县总工会/01-严俊宏/证明.pdf", "page": i, "bbox": [9, 9, 9, 9],
                          "text": "另一处"}],
            "found": {"x": 1}, "waived": None,
        })
    return {
        "schema": "dossier-audit/findings/v1", "run_id": run_id, "generated_at": at,
        "campaign": "kaifeng-2020", "tool_version": "0.1.0", "profile_digest": "ab" * 32,
        "batch": "/data/batch-1",
        "inputs": [{"path": "开封市兰考县总工会.zip!/a.pdf", "sha256": "11" * 32, "bytes": 10, "kind": "pdf"},
                   {"path": "开封市兰考县总工会.zip!/b.docx", "sha256": "22" * 32, "bytes": 20, "kind": "docx"}],
        "findings": findings, "nominees": [], "units": [],
    }


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def raw(path: Path) -> sqlite3.Connection:
    """The file opened as anyone could: no triggers in the way."""
    con = sqlite3.connect(path, isolation_level=None)
    for name in ("records_no_update", "records_no_delete", "meta_no_update", "meta_no_delete"):
        con.execute(f"DROP TRIGGER IF EXISTS {name}")
    return con


@pytest.fixture
def ledger_path(tmp_path) -> Path:
    return tmp_path / "kaifeng-2020.ledger.sqlite"


@pytest.fixture
def filled(ledger_path) -> Path:
    """A closed ledger with records 1–4 = run A (+3 findings), 5 = waiver, 6–9 = run B (+3), 10 = complaint."""
    with Ledger.open(ledger_path) as led:
        led.record_run(make_doc("aaaa1111"))
        led.waive(make_doc("aaaa1111")["findings"][0]["fingerprint"], by="张三", reason="已核实")
        led.record_run(make_doc("bbbb2222", at="2026-11-27T09:00:00+08:00"))
        led.add_complaint(nominee="严俊宏", text="专利是别人的")
    return ledger_path


# -- runs and findings ----------------------------------------------------------------------------

def test_record_run_and_read_back(ledger_path):
    doc = make_doc("3f809d623caa", n=4)
    with Ledger.open(ledger_path) as led:
        assert led.latest_run() is None
        assert led.record_run(doc) == "3f809d623caa"
        runs = led.runs()
        assert runs == [{"run_id": "3f809d623caa", "at": "2026-11-26T11:41:35+08:00", "batch": "/data/batch-1",
                         "campaign": "kaifeng-2020", "tool_version": "0.1.0", "profile_digest": "ab" * 32,
                         "batch_path": None, "out": None, "seq": 1, "inputs": 2, "findings": 4}]
        run = led.run("3f80")                                   # a unique prefix will do
        assert run["inputs"] == [{"path": "开封市兰考县总工会.zip!/a.pdf", "sha256": "11" * 32},
                                 {"path": "开封市兰考县总工会.zip!/b.docx", "sha256": "22" * 32}]
        assert [f["id"] for f in run["findings"]] == ["F0001", "F0002", "F0003", "F0004"]
        f = run["findings"][0]
        assert f == {"run_id": "3f809d623caa", "id": "F0001", "fingerprint": doc["findings"][0]["fingerprint"],
                     "code": "V04", "severity": "high", "unit": "开封市兰考县总工会", "nominee": "严俊宏",
                     "nominees": [], "message": "第 1 条：<b>“严俊宏”</b>的证明 & 材料不符",   # stored as given
                     "evidence": [{"file": "开封市兰考县总工会/01-严俊宏/证明.pdf", "page": 1}]}  # no boxes
        assert led.latest_run() == run
    with sqlite3.connect(ledger_path) as con:
        kinds = [r[0] for r in con.execute("SELECT kind FROM records ORDER BY seq")]
        payload, = con.execute("SELECT payload FROM records WHERE seq = 2").fetchone()
    assert kinds == ["run"] + ["finding"] * 4
    assert payload == canonical(json.loads(payload)) and "严俊宏" in payload   # canonical, not \\u-escaped


def test_same_run_twice_is_refused_and_writes_nothing(ledger_path):
    with Ledger.open(ledger_path) as led:
        led.record_run(make_doc("aaaa1111"))
        with pytest.raises(LedgerError, match="已记入账本"):
            led.record_run(make_doc("aaaa1111", n=7))
        assert led.verify().records == 4
        assert led.verify().ok


def test_run_lookup_errors(filled):
    with Ledger.open(filled) as led:
        with pytest.raises(LedgerError, match="没有运行"):
            led.run("cccc")
        led.record_run(make_doc("aaaa9999"))
        with pytest.raises(LedgerError, match="多次运行"):
            led.run("aaaa")
        assert led.run("aaaa1111")["run_id"] == "aaaa1111"      # exact id wins over prefix
        assert isinstance(LedgerError("x"), UsageError)


def test_generated_at_without_timezone_is_refused(ledger_path):
    with Ledger.open(ledger_path) as led, pytest.raises(LedgerError, match="时区"):
        led.record_run(make_doc("aaaa1111", at="2026-11-26T11:41:35"))


def test_find_finding_by_id_fingerprint_and_prefix(filled):
    a, b = make_doc("aaaa1111"), make_doc("bbbb2222")
    with Ledger.open(filled) as led:
        assert led.find_finding("F0002")["run_id"] == "bbbb2222"             # the latest run that has it
        assert led.find_finding("f0002")["fingerprint"] == b["findings"][1]["fingerprint"]
        assert led.find_finding("F0099") is None
        fp = a["findings"][2]["fingerprint"]
        assert led.find_finding(fp)["run_id"] == "aaaa1111"
        assert led.find_finding(fp[:8])["id"] == "F0003"
        assert led.find_finding("0123456789abcdef") is None
        with pytest.raises(LedgerError, match="8"):
            led.find_finding("abc")
        led.record_run(make_doc("cccc3333", fp_prefix="deadbeef"))         # fingerprints share 8 chars
        with pytest.raises(LedgerError, match="多条"):
            led.find_finding("deadbeef")
        # the same fingerprint in two runs: the latest occurrence
        again = make_doc("dddd4444")
        again["findings"][0]["fingerprint"] = fp
        led.record_run(again)
        assert led.find_finding(fp[:10])["run_id"] == "dddd4444"


# -- waivers --------------------------------------------------------------------------------------

def test_waivers_latest_per_fingerprint(ledger_path):
    with Ledger.open(ledger_path) as led:
        w = led.waive("fp-one-1234", by="张三", reason="<script>alert(1)</script> 已核实", finding_id="F0001",
                      run_id="aaaa1111")
        assert set(w) == {"fingerprint", "by", "reason", "at", "seq", "revoked"} and w["seq"] == 1 and not w["revoked"]
        assert datetime.fromisoformat(w["at"]).tzinfo is not None
        led.waive("fp-two-5678", by="李四", reason="重复")
        led.waive("fp-one-1234", by="王五", reason="复核后维持豁免")
        assert [x["by"] for x in led.waivers()] == ["张三", "李四", "王五"]
        assert led.waivers()[0]["finding_id"] == "F0001" and led.waivers()[0]["run_id"] == "aaaa1111"
        m = led.waiver_map()
        assert set(m) == {"fp-one-1234", "fp-two-5678"}
        assert m["fp-one-1234"] == {"by": "王五", "reason": "复核后维持豁免", "at": m["fp-one-1234"]["at"]}
        assert led.waivers()[0]["reason"] == "<script>alert(1)</script> 已核实"   # stored as given
        for kw in ({"by": " ", "reason": "x"}, {"by": "张三", "reason": ""}):
            with pytest.raises(LedgerError):
                led.waive("fp-one-1234", **kw)
        assert len(led.waivers()) == 3


# -- complaints -----------------------------------------------------------------------------------

def test_complaint_from_add_to_conclusion(ledger_path):
    with Ledger.open(ledger_path) as led:
        assert led.add_complaint(nominee="严俊宏", text="他的专利是别人的", by="来信", unit="兰考县总工会") == 1
        assert led.add_complaint(nominee="苏栋", text="事迹材料抄袭") == 2
        first, second = led.complaints()
        assert (first["number"], first["nominee"], first["unit"], first["text"], first["by"]) == \
            (1, "严俊宏", "兰考县总工会", "他的专利是别人的", "来信")
        assert first["state"] == second["state"] == "待核查" and first["conclusion"] is None
        with pytest.raises(LedgerError, match="结论只能是"):
            led.conclude(1, result="属实", reason="x", by="赵六")
        with pytest.raises(LedgerError, match="第 3 号"):
            led.conclude(3, result="成立", reason="x", by="赵六")
        c = led.conclude(1, result="部分成立", reason="专利为合作发明", by="赵六")
        assert c["number"] == 1 and c["result"] == "部分成立"
        with pytest.raises(LedgerError, match="已有核查结论"):
            led.conclude(1, result="不成立", reason="改判", by="赵六")
        first, second = led.complaints()
        assert first["state"] == "已办结" and second["state"] == "待核查"
        assert {k: first["conclusion"][k] for k in ("result", "reason", "by")} == \
            {"result": "部分成立", "reason": "专利为合作发明", "by": "赵六"}
        with pytest.raises(LedgerError):
            led.add_complaint(nominee="", text="x")
        assert led.verify().ok and led.verify().records == 3


# -- the chain ------------------------------------------------------------------------------------

def test_chain_is_what_the_docstring_says(filled):
    with sqlite3.connect(filled) as con:
        rows = con.execute("SELECT seq, kind, at, payload, prev, hash FROM records ORDER BY seq").fetchall()
    prev = GENESIS
    for seq, kind, at, payload, p, h in rows:
        assert p == prev
        assert h == hashlib.sha256(f"{seq}\n{kind}\n{at}\n{payload}\n{prev}".encode()).hexdigest()
        assert h == record_hash(seq, kind, at, payload, prev)
        prev = h
    with Ledger.open(filled) as led:
        v = led.verify()
    assert (v.ok, v.records, v.first_broken, v.head) == (True, 10, None, prev)


def test_triggers_refuse_casual_edits(filled):
    con = sqlite3.connect(filled, isolation_level=None)
    with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
        con.execute("UPDATE records SET payload = '{}' WHERE seq = 2")
    with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
        con.execute("DELETE FROM records WHERE seq = 10")
    with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
        con.execute("UPDATE meta SET value = '9' WHERE key = 'format'")
    con.close()


def _edit_payload(con):
    payload, = con.execute("SELECT payload FROM records WHERE seq = 5").fetchone()
    con.execute("UPDATE records SET payload = ? WHERE seq = 5", (payload.replace("已核实", "领导同意"),))


def _delete_middle(con):
    con.execute("DELETE FROM records WHERE seq = 5")


def _reorder(con):
    # swap records 5 and 6 wholesale (seq stays in order; contents change places)
    a = con.execute("SELECT kind, at, payload, prev, hash FROM records WHERE seq = 5").fetchone()
    b = con.execute("SELECT kind, at, payload, prev, hash FROM records WHERE seq = 6").fetchone()
    con.execute("UPDATE records SET kind=?, at=?, payload=?, prev=?, hash=? WHERE seq = 5", b)
    con.execute("UPDATE records SET kind=?, at=?, payload=?, prev=?, hash=? WHERE seq = 6", a)


def _renumber(con):
    # reorder by renumbering: record 5 moves after 10
    con.execute("UPDATE records SET seq = 11 WHERE seq = 5")


def _edit_hash(con):
    con.execute("UPDATE records SET hash = ? WHERE seq = 5", ("f" * 64,))


def _edit_and_rehash(con):
    # a careful forger recomputes the edited record's hash: the next record no longer links
    seq, kind, at, payload, prev = con.execute(
        "SELECT seq, kind, at, payload, prev FROM records WHERE seq = 5").fetchone()
    payload = payload.replace("已核实", "领导同意")
    con.execute("UPDATE records SET payload = ?, hash = ? WHERE seq = 5",
                (payload, record_hash(seq, kind, at, payload, prev)))


def _delete_tail(con):
    con.execute("DELETE FROM records WHERE seq = 10")


def _delete_a_finding_of_the_last_run(con):
    con.execute("DELETE FROM records WHERE seq IN (9, 10)")
    con.execute("UPDATE sqlite_sequence SET seq = 8 WHERE name = 'records'")


@pytest.mark.parametrize("edit, seq, words", [
    (_edit_payload, 5, "改动"),
    (_delete_middle, 6, "第 5 条记录被删除"),
    (_reorder, 5, "接不上"),
    (_renumber, 6, "第 5 条记录被删除"),
    (_edit_hash, 5, "改动"),
    (_edit_and_rehash, 6, "接不上"),
    (_delete_tail, 10, "末尾"),
    (_delete_a_finding_of_the_last_run, 6, "不完整"),
], ids=lambda x: getattr(x, "__name__", None) or str(x))
def test_verify_names_the_first_broken_record(filled, edit, seq, words):
    con = raw(filled)
    edit(con)
    con.close()
    with Ledger.open(filled, create=False) as led:
        v = led.verify()
    assert not v.ok
    assert isinstance(v.first_broken, Broken)
    assert v.first_broken.seq == seq, v.first_broken
    assert words in v.first_broken.reason, v.first_broken
    assert v.head is None


def test_append_after_a_deleted_tail_leaves_the_gap_visible(filled):
    con = raw(filled)
    _delete_tail(con)
    con.close()
    with Ledger.open(filled) as led:
        led.waive("fp-x-12345678", by="张三", reason="补录")   # must not reuse seq 10 and hide the deletion
        v = led.verify()
    assert not v.ok and v.first_broken.seq == 11 and "第 10 条记录被删除" in v.first_broken.reason


# -- ours or not ----------------------------------------------------------------------------------

def _foreign_sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE records (seq INTEGER PRIMARY KEY, kind TEXT)")
    con.commit()
    con.close()


def _other_app_id(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA application_id = 1234")
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()


def _ours_without_meta(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()


@pytest.mark.parametrize("make, words", [
    (lambda p: p.write_bytes(b""), "空文件"),
    (lambda p: p.write_text("审核记录\n", encoding="utf-8"), "不是 SQLite"),
    (lambda p: p.write_bytes(os.urandom(8192)), "不是 SQLite"),
    (_foreign_sqlite, "其他程序"),
    (_other_app_id, "其他程序"),
    (_ours_without_meta, "损坏"),
], ids=["empty", "text", "garbage", "other-sqlite", "other-app-id", "no-meta"])
def test_a_file_that_is_not_ours_is_refused_untouched(tmp_path, make, words):
    path = tmp_path / "x.ledger.sqlite"
    make(path)
    before = sha(path)
    with pytest.raises(LedgerError, match=words) as err:
        Ledger.open(path)
    assert "不会改写" in err.value.message or "损坏" in err.value.message
    assert sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.ledger.sqlite"]   # no -wal/-shm left behind


def test_a_truncated_ledger_is_refused_untouched(filled):
    with Ledger.open(filled) as led:
        for i in range(40):                                    # make it several pages long
            led.record_run(make_doc(f"run{i:04d}", n=30))
    data = filled.read_bytes()
    assert len(data) > 8 * 4096
    filled.write_bytes(data[: len(data) // 2])
    before = sha(filled)
    with pytest.raises(LedgerError, match="损坏"):
        Ledger.open(filled)
    assert sha(filled) == before


def test_garbage_inside_a_ledger_is_refused_untouched(filled):
    with sqlite3.connect(filled) as con:
        root, = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'records'").fetchone()
        page_size, = con.execute("PRAGMA page_size").fetchone()
    con.close()
    data = bytearray(filled.read_bytes())
    start = (root - 1) * page_size                              # the records table's page, header intact
    data[start: start + page_size] = os.urandom(page_size)
    filled.write_bytes(bytes(data))
    before = sha(filled)
    with pytest.raises(LedgerError, match="损坏"):
        Ledger.open(filled)
    assert sha(filled) == before


def test_a_newer_format_is_refused(filled):
    con = raw(filled)
    con.execute("UPDATE meta SET value = '2' WHERE key = 'format'")
    con.close()
    before = sha(filled)
    with pytest.raises(LedgerError, match="较新版本"):
        Ledger.open(filled)
    assert sha(filled) == before


def test_open_missing_without_create_and_a_folder(tmp_path):
    with pytest.raises(LedgerError, match="不存在"):
        Ledger.open(tmp_path / "nope.ledger.sqlite", create=False)
    assert not (tmp_path / "nope.ledger.sqlite").exists()
    with pytest.raises(LedgerError, match="文件夹"):
        Ledger.open(tmp_path)


def test_new_ledger_is_marked_ours_and_in_wal_mode(tmp_path):
    path = tmp_path / "deep" / "er" / "k.ledger.sqlite"
    Ledger.open(path).close()
    header = path.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert dict(con.execute("SELECT key, value FROM meta"))["format"] == "1"
    con.close()
    assert sorted(p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")) == []


def test_default_ledger_path(monkeypatch, tmp_path):
    monkeypatch.setenv("DOSSIER_DATA_DIR", str(tmp_path))
    assert default_ledger_path("kaifeng-2020") == tmp_path / "kaifeng-2020.ledger.sqlite"
    monkeypatch.delenv("DOSSIER_DATA_DIR")
    p = default_ledger_path("kaifeng-2020")
    assert p.name == "kaifeng-2020.ledger.sqlite" and "dossier-audit" in str(p)
    with pytest.raises(LedgerError):
        default_ledger_path("../etc")


# -- two processes at once ------------------------------------------------------------------------

def _record_twenty(path: str, tag: str, barrier) -> None:
    # Both open the (not yet existing) file together, then meet at the barrier before every run,
    # so every one of the 20 rounds has two record_run transactions contending for the write lock
    # (without the barrier the first process tends to finish all 20 before the other one wakes).
    barrier.wait()
    with Ledger.open(Path(path)) as led:
        for i in range(20):
            barrier.wait()
            led.record_run(make_doc(f"{tag}-{i:02d}", n=25))


def test_two_processes_recording_at_once(ledger_path):
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_record_twenty, args=(str(ledger_path), tag, barrier)) for tag in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with Ledger.open(ledger_path, create=False) as led:
        runs = led.runs()
        assert len(runs) == 40
        assert sorted(r["run_id"] for r in runs) == sorted(f"{t}-{i:02d}" for t in "ab" for i in range(20))
        # round i holds a-i and b-i, in either order: the two processes really did take turns
        assert [sorted(r["run_id"] for r in runs[k:k + 2]) for k in range(0, 40, 2)] == \
            [[f"a-{i:02d}", f"b-{i:02d}"] for i in range(20)]
        assert all(len(led.run(r["run_id"])["findings"]) == 25 for r in runs)
        v = led.verify()
    assert v.ok and v.records == 40 * 26


# -- a run killed mid-way ---------------------------------------------------------------------------

# The child starts record_run of a 5 000-finding doc. Ledger._in_transaction_hook is called inside
# the write transaction after each chunk of 1 000 finding rows has gone into SQLite; the child's hook
# writes a marker file on the first call and then sleeps. So when the parent sees the marker, the
# child is certainly inside an uncommitted transaction with rows written (to the WAL or the page
# cache); the parent kills it there with SIGKILL. No timing is involved.
CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    from tests.audit.test_ledger import make_doc
    from audit.ledger import Ledger

    marker = Path(sys.argv[2])
    def hook(done):
        marker.write_text(str(done))
        time.sleep(600)

    led = Ledger.open(Path(sys.argv[1]))
    led._in_transaction_hook = hook
    led.record_run(make_doc("killed-run", n=5000))
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_run_killed_mid_transaction_leaves_the_ledger_consistent(filled, tmp_path):
    marker = tmp_path / "inside-transaction"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(filled), str(marker), str(REPO)])
    try:
        deadline_polls = 0
        while not marker.exists():
            assert child.poll() is None, "the child ended before reaching the transaction"
            deadline_polls += 1
            assert deadline_polls < 6000, "the child never reached the transaction"
            time.sleep(0.01)
        assert marker.read_text() == "1000"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(30)
    assert child.returncode == -signal.SIGKILL
    with Ledger.open(filled, create=False) as led:
        v = led.verify()
        assert v.ok and v.records == 10                           # nothing of the killed run
        assert "killed-run" not in [r["run_id"] for r in led.runs()]
        assert led.record_run(make_doc("killed-run", n=5000)) == "killed-run"   # repeated: completes
        assert len(led.run("killed-run")["findings"]) == 5000
        v = led.verify()
    assert v.ok and v.records == 10 + 5001


def test_a_waiver_can_be_revoked_and_given_again(tmp_path):
    with Ledger.open(tmp_path / "k.ledger.sqlite") as led:
        led.waive("fp1", by="王", reason="已核")
        assert "fp1" in led.waiver_map()
        with pytest.raises(LedgerError):
            led.waive("fp2", by="王", reason="没有豁免可撤销", revoke=True)
        w = led.waive("fp1", by="李", reason="复查有涂改", revoke=True)
        assert w["revoked"] and "fp1" not in led.waiver_map()
        with pytest.raises(LedgerError):
            led.waive("fp1", by="李", reason="再撤一次", revoke=True)
        led.waive("fp1", by="赵", reason="再次核实无误")
        assert led.waiver_map()["fp1"]["by"] == "赵"
        assert [bool(x.get("revoked")) for x in led.waivers()] == [False, True, False]
        assert led.verify().ok
