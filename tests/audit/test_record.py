"""audit.record: waivers applied by fingerprint, and the diff of two runs."""
from __future__ import annotations

from audit.model import Finding, Severity, Span
from audit.record import apply_waivers, diff_runs


def _f(code, fp, nominee="张三", fid="F1"):
    return {"id": fid, "fingerprint": fp, "code": code, "severity": "high", "unit": "单位", "nominee": nominee,
            "nominees": [], "message": f"{code} 问题"}


def test_waivers_follow_the_fingerprint():
    a = Finding(code="V01", severity=Severity.HIGH, unit="单位", nominee="张三", message="m",
                evidence=[Span(file="单位/张三/证明.pdf", page=1, box=(1, 2, 3, 4), sha256="a" * 64)])
    b = Finding(code="V02", severity=Severity.HIGH, unit="单位", nominee="张三", message="m",
                evidence=[Span(file="单位/张三/证明.pdf", page=2, sha256="a" * 64)])
    w = {a.fingerprint: {"by": "王科长", "reason": "已核原件", "at": "2021-06-20T10:00:00+08:00", "seq": 7}}
    assert apply_waivers([a, b], w) == 1
    assert a.waived == {"by": "王科长", "reason": "已核原件", "at": "2021-06-20T10:00:00+08:00"} and b.waived is None
    # the same evidence read again with other boxes and another message keeps the fingerprint
    again = Finding(code="V01", severity=Severity.MEDIUM, unit="单位", nominee="张三", message="另一种说法",
                    evidence=[Span(file="单位/张三/证明.pdf", page=1, box=(9, 9, 9, 9), sha256="a" * 64)])
    assert apply_waivers([again], w) == 1


def test_diff_of_two_runs():
    a = {"run_id": "r1", "at": "t1", "inputs": [{"path": "x.pdf", "sha256": "1"}, {"path": "y.pdf", "sha256": "2"}],
         "findings": [_f("V01", "fa"), _f("V02", "fb")]}
    b = {"run_id": "r2", "generated_at": "t2",
         "inputs": [{"path": "x.pdf", "sha256": "1"}, {"path": "y.pdf", "sha256": "3"}, {"path": "z.pdf", "sha256": "4"}],
         "findings": [_f("V02", "fb", fid="F7"), _f("X01", "fc", nominee=None)]}
    d = diff_runs(a, b)
    assert [f["fingerprint"] for f in d["new"]] == ["fc"] and [f["fingerprint"] for f in d["resolved"]] == ["fa"]
    assert [f["id"] for f in d["open"]] == ["F7"]
    assert (d["files_added"], d["files_removed"], d["files_changed"]) == (["z.pdf"], [], ["y.pdf"])
    assert (d["from"], d["to"], d["from_at"], d["to_at"]) == ("r1", "r2", "t1", "t2")
