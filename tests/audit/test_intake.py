"""Intake: folders, zips with GBK names, unsafe members, bombs, symlinks; the batch stays untouched."""
from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pytest

from audit.intake import clean_nominee_name, decode_zip_name, intake

LIMITS = {"max_zip_depth": 3, "max_zip_members": 100, "max_zip_total_mb": 50, "max_zip_ratio": 200}


class GbkZipInfo(zipfile.ZipInfo):
    """Writes its name as raw GBK bytes without the UTF-8 flag, as Chinese Windows does."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def write_gbk_zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(GbkZipInfo(name, date_time=(2021, 5, 20, 0, 0, 0)), data)
    with zipfile.ZipFile(path) as zf:   # really GBK on disk: read back as cp437 mojibake
        assert all(not (i.flag_bits & 0x800) for i in zf.infolist())


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture
def batch(tmp_path):
    b = tmp_path / "batch"
    u = b / "开封市祥符区总工会"
    (u / "01-张三").mkdir(parents=True)
    (u / "推荐报告.pdf").write_bytes(b"%PDF-1.4 report")
    (u / "汇总表.xlsx").write_bytes(b"PK fake")
    (u / "01-张三" / "审批表.docx").write_bytes(b"form")
    (u / "01-张三" / "证明材料").mkdir()
    (u / "01-张三" / "证明材料" / "专利证书.jpg").write_bytes(b"jpg")
    write_gbk_zip(u / "02-李四.zip", {"李四/审批表.docx": b"form2", "李四/证明材料/荣誉证书.pdf": b"pdf"})
    write_gbk_zip(b / "尉氏县总工会材料.zip", {"尉氏县总工会/推荐报告.pdf": b"r",
                                              "尉氏县总工会/王五/审批表.xlsx": b"x",
                                              "尉氏县总工会/赵六/审批表.xlsx": b"y"})
    (b / "收件登记.xlsx").write_bytes(b"log")
    return b


def test_units_nominees_and_gbk_zips(batch, tmp_path):
    before = snapshot(batch)
    res = intake(batch, tmp_path / "work", LIMITS)
    assert snapshot(batch) == before, "intake wrote into the batch"
    units = {u.name: u for u in res.units}
    assert set(units) == {"开封市祥符区总工会", "尉氏县总工会"}
    xf = units["开封市祥符区总工会"]
    assert [n.name for n in xf.nominees] == ["张三", "李四"]
    assert [n.priority for n in xf.nominees] == [1, 2]
    lisi = xf.nominees[1]
    assert {f.path for f in lisi.files} == {
        "开封市祥符区总工会/02-李四.zip!/李四/审批表.docx",
        "开封市祥符区总工会/02-李四.zip!/李四/证明材料/荣誉证书.pdf"}
    assert {n.name for n in units["尉氏县总工会"].nominees} == {"王五", "赵六"}
    assert [f.role for f in units["尉氏县总工会"].files] == ["report"]
    assert [f.path for f in res.root_files] == ["收件登记.xlsx"]
    rec = next(f for f in res.files if f.path.endswith("荣誉证书.pdf"))
    assert rec.sha256 == hashlib.sha256(b"pdf").hexdigest()
    assert not res.problems


def test_unsafe_members_refused(tmp_path):
    b = tmp_path / "batch"
    (b / "单位").mkdir(parents=True)
    with zipfile.ZipFile(b / "单位" / "张三.zip", "w") as zf:
        zf.writestr("张三/审批表.docx", b"ok")
        zf.writestr("../../evil.txt", b"evil")
        zf.writestr("/etc/passwd", b"evil")
    res = intake(b, tmp_path / "work", LIMITS)
    reasons = sorted(p.reason for _, _, _, p in res.problems)
    assert reasons == ["unsafe-path", "unsafe-path"]
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "work" / "evil.txt").exists()
    assert [f.path.split("!/")[1] for f in res.files] == ["张三/审批表.docx"]


def test_zip_bomb_not_expanded(tmp_path):
    b = tmp_path / "batch"
    (b / "单位").mkdir(parents=True)
    with zipfile.ZipFile(b / "单位" / "炸弹.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", b"\0" * (20 * 1024 * 1024))
    res = intake(b, tmp_path / "work", LIMITS)
    assert [p.reason for _, _, _, p in res.problems] == ["zip-bomb"]
    assert res.files == []


def test_corrupt_zip_and_symlinks(tmp_path):
    b = tmp_path / "batch"
    (b / "单位" / "张三").mkdir(parents=True)
    (b / "单位" / "坏.zip").write_bytes(b"PK\x03\x04 broken")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    os.symlink(outside, b / "单位" / "张三" / "链接.pdf")
    res = intake(b, tmp_path / "work", LIMITS)
    got = {(path, p.reason, nkey) for path, _, nkey, p in res.problems}
    assert ("单位/坏.zip", "corrupt", None) in got
    assert any(r == "symlink" and "以外" in p.message for _, _, _, p in res.problems for r in [p.reason])
    assert all(f.path != "单位/张三/链接.pdf" for f in res.files)


def test_nested_zip_depth_limit(tmp_path):
    b = tmp_path / "batch"
    (b / "单位").mkdir(parents=True)
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("证书.jpg", b"jpg")
    with zipfile.ZipFile(b / "单位" / "张三.zip", "w") as zf:
        zf.write(inner, "证明材料.zip")
    res = intake(b, tmp_path / "work", LIMITS)
    assert [f.path for f in res.files] == ["单位/张三.zip!/证明材料.zip!/证书.jpg"]
    assert res.files[0].nominee == "单位/张三"
    res2 = intake(b, tmp_path / "work2", {**LIMITS, "max_zip_depth": 1})
    assert [p.reason for _, _, _, p in res2.problems] == ["zip-bomb"]


@pytest.mark.parametrize("folder,name,prio", [
    ("01-张三", "张三", 1), ("（2）李四推荐材料", "李四", 2), ("3.王五", "王五", 3),
    ("二、赵六", "赵六", 2), ("欧阳娜娜", "欧阳娜娜", None), ("05_孙七的申报材料", "孙七", 5),
])
def test_clean_nominee_name(folder, name, prio):
    assert clean_nominee_name(folder) == (name, prio)


def test_decode_zip_name_gbk_and_utf8():
    i = zipfile.ZipInfo("审批表.docx".encode("gbk").decode("cp437"))
    assert decode_zip_name(i) == "审批表.docx"
    j = zipfile.ZipInfo("审批表.docx")
    j.flag_bits |= 0x800
    assert decode_zip_name(j) == "审批表.docx"
