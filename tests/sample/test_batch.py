"""The sample-batch composer: structure, expected.json, GBK zips, OCR truth, determinism.

One small batch (seed 1, 5 nominees in 2 units) is generated once for the module; the
determinism test draws a smaller one twice. About 35 s in all.
"""
from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from audit.ids import check_id_number
from audit.resume import months, parse_resume
from audit.sample.batch import generate

SCAN_EXT = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")
SIZE = dict(nominees=5, units=2)


def sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample1")
    summary = generate(out, 1, workers=1, **SIZE)
    expected = json.loads((out / "expected.json").read_text("utf-8"))
    truth = json.loads((out / "ocr-truth.json").read_text("utf-8"))
    return out, summary, expected, truth


def all_files(batch: Path) -> dict[str, bytes]:
    """Batch-relative path → bytes, zip members as 'x.zip!/inner/path' (GBK names decoded)."""
    out: dict[str, bytes] = {}
    for p in sorted(batch.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(batch).as_posix()
        data = p.read_bytes()
        out[rel] = data
        if p.suffix.lower() == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for info in zf.infolist():
                    if info.is_dir():
                        continue
                    name = info.filename
                    if not info.flag_bits & 0x800:
                        name = name.encode("cp437").decode("gbk")
                    out[f"{rel}!/{name}"] = zf.read(info)
    return out


def exists(files: dict[str, bytes], path: str) -> bool:
    """A file, or a folder (a prefix of some file), or a zip path, is in the batch."""
    return path in files or any(k.startswith(path.rstrip("/") + "/") or k.startswith(path + "!/") for k in files)


def test_summary(sample):
    out, summary, expected, _ = sample
    assert summary["nominees"] == 5 and summary["units"] == 2
    assert summary["scanned_pages"] > 10
    assert (out / "batch").is_dir() and not (out / ".stage").exists()
    assert expected["seed"] == 1 and expected["generator"] == "dossier-audit sample v1"


def test_structure(sample):
    out, _, expected, _ = sample
    files = all_files(out / "batch")
    for u in expected["units"]:
        assert exists(files, u["folder"]), u["folder"]
        own = [k for k in files if k.startswith(u["folder"] + "/") and k.count("/") == u["folder"].count("/") + 1]
        names = " ".join(own)
        assert "推荐报告" in names or "报告" in names
        assert any(k.endswith(".xlsx") and "汇总" in k for k in own)
        if "M01" not in u["codes"]:
            assert "公示" in names
            assert any(k.endswith(SCAN_EXT) and "汇总" in k for k in own)
    for n in expected["nominees"]:
        assert exists(files, n["folder"]), n["folder"]
        mine = [k for k in files if k.startswith(n["folder"] + "/") or k.startswith(n["folder"] + "!/")]
        assert any("审批表" in k for k in mine), n["name"]
        assert any("事迹" in k for k in mine), n["name"]
        assert any(("证明材料" in k or "佐证材料" in k) for k in mine), n["name"]
        if "M01" not in n["codes"]:
            assert any(k.endswith(".pptx") for k in mine), n["name"]
            assert sum(1 for k in mine if k.endswith(".jpg") and ("照" in k or "IMG_" in k)) >= 2, n["name"]


def test_expected_consistent(sample):
    out, _, expected, _ = sample
    files = all_files(out / "batch")
    defects = expected["defects"]
    for d in defects:
        assert d["code"] and d["what"]
        if d["file"] is not None:
            assert exists(files, d["file"]), d
    for u in expected["units"]:
        for c in u["codes"]:
            assert any(d["code"] == c and d["unit"] == u["unit"] and d["nominee"] is None for d in defects), (u, c)
    for n in expected["nominees"]:
        for c in n["codes"]:
            assert any(d["code"] == c and d["nominee"] == n["name"] for d in defects), (n["name"], c)
        if n["clean"]:
            assert not n["codes"]
            assert not any(d["nominee"] == n["name"] for d in defects)
        assert n["declared"]["name"] == n["name"]
    for c in expected["batch_codes"]:
        assert any(d["code"] == c and d["nominee"] is None and d["unit"] is None for d in defects)
    names = [n["name"] for n in expected["nominees"]]
    assert len(names) == len(set(names)), "nominee names must be unique in a batch"
    assert any(n["clean"] for n in expected["nominees"])
    planted = {c for n in expected["nominees"] for c in n["codes"]} | {c for u in expected["units"] for c in u["codes"]}
    assert {"P01", "M01", "M03"} <= planted


def test_clean_nominees_are_clean(sample):
    _, _, expected, _ = sample
    for n in expected["nominees"]:
        if not n["clean"]:
            continue
        v = n["declared"]
        chk = check_id_number(v["id_number"])
        assert chk.ok, (v["id_number"], chk.reason)
        y, m = map(int, re.match(r"(\d{4})\D+(\d{1,2})", v["birth"]).groups())
        assert (y, m) == (chk.birth.year, chk.birth.month)
        assert v["gender"] == {"M": "男", "F": "女"}[chk.gender]
        assert v["id_number"].startswith("4102")
        assert v["skill_level"] in ("技师", "高级技师")
        assert len(re.sub(r"\s+", "", v["achievements"])) <= 800
        for k in ("name", "gender", "ethnicity", "birth", "politics", "education", "skill_level", "specialty",
                  "id_number", "phone", "employer", "unit", "resume", "achievements"):
            assert v[k].strip(), (n["name"], k)
        ents = parse_resume(v["resume"])
        assert ents and all(e.start[1] for e in ents)
        for a, c in zip(ents, ents[1:]):
            assert a.end is not None and months(c.start) - months(a.end) == 1, v["resume"]
        assert ents[-1].end is None


def test_gbk_zip(sample):
    out, _, expected, _ = sample
    zips = sorted((out / "batch").rglob("*.zip"))
    assert zips, "one unit or nominee arrives as a zip"
    for z in zips:
        with zipfile.ZipFile(z) as zf:
            infos = zf.infolist()
            assert infos
            for info in infos:
                raw = info.filename.encode("cp437")
                assert not info.flag_bits & 0x800, "names are GBK, not flagged UTF-8"
                name = raw.decode("gbk")
                assert re.search(r"[\u4e00-\u9fff]", name)
                with pytest.raises(UnicodeDecodeError):
                    raw.decode("utf-8")
                assert info.date_time == (2021, 6, 8, 10, 30, 0)


def test_ocr_truth_keys(sample):
    out, _, expected, truth = sample
    files = all_files(out / "batch")
    shas = {}
    for rel, data in files.items():
        shas.setdefault(sha(data), []).append(rel)
    # every key is a page of a written file
    for key, lines in truth.items():
        h, page = key.rsplit(":", 1)
        assert h in shas, key
        assert int(page) >= 1
        for ln in lines:
            assert ln["text"] and len(ln["box"]) == 4 and 0 < ln["confidence"] <= 1
            x0, y0, x1, y1 = ln["box"]
            assert x1 > x0 and y1 > y0
    # every scanned page of the batch has its truth
    n_pages = 0
    for rel, data in files.items():
        low = rel.lower()
        if not low.endswith(SCAN_EXT) or not data:
            continue
        h = sha(data)
        if data[:4] == b"%PDF":
            try:
                r = PdfReader(io.BytesIO(data))
                if r.is_encrypted:
                    continue
                pages = r.pages
                if any((p.extract_text() or "").strip() for p in pages):
                    continue  # a text PDF (deeds), read without OCR
                count = len(pages)
            except Exception:
                continue      # the truncated PDF planted for M03
        else:
            count = 1
        for i in range(1, count + 1):
            assert f"{h}:{i}" in truth, (rel, i)
        n_pages += count
    assert n_pages > 10


def test_truth_boxes_fit_pages(sample):
    """Boxes are in pixels of the page as rendered at 200 dpi (PDF) or read natively (images)."""
    from PIL import Image
    out, _, _, truth = sample
    files = all_files(out / "batch")
    checked = 0
    for rel, data in files.items():
        if not data or not rel.lower().endswith((".jpg", ".png", ".tif")):
            continue
        lines = truth.get(f"{sha(data)}:1")
        if not lines:
            continue
        w, h = Image.open(io.BytesIO(data)).size
        for ln in lines:
            x0, y0, x1, y1 = ln["box"]
            assert -2 <= x0 and x1 <= w + 2 and -2 <= y0 and y1 <= h + 2, (rel, ln)
        checked += 1
    for rel, data in files.items():
        if not data or data[:4] != b"%PDF" or checked > 40:
            continue
        lines = truth.get(f"{sha(data)}:1")
        if not lines:
            continue
        box = PdfReader(io.BytesIO(data)).pages[0].mediabox
        w, h = float(box.width) * 200 / 72, float(box.height) * 200 / 72
        for ln in lines:
            x0, y0, x1, y1 = ln["box"]
            assert x1 <= w + 2 and y1 <= h + 2, (rel, ln, w, h)
        checked += 1
    assert checked > 5


def test_deterministic(tmp_path):
    """Same seed, same bytes, whether the units are drawn in one process or two."""
    out, other = tmp_path / "a", tmp_path / "b"
    generate(out, 7, workers=1, nominees=3, units=2)
    # forked workers run in a fresh interpreter: this test process may already hold native
    # thread pools (OpenCV, ONNX Runtime) that a fork would inherit locked
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                    "from audit.sample.batch import generate; "
                    "generate(Path(sys.argv[1]), 7, workers=2, nominees=3, units=2)", str(other)],
                   check=True, cwd=Path(__file__).resolve().parents[2], timeout=600)
    a = all_files(out / "batch")
    b = all_files(other / "batch")
    assert sorted(a) == sorted(b)
    differ = [k for k in a if a[k] != b[k] and not k.endswith(".zip")]
    # the encrypted PDF planted for M03 carries a random salt; nothing else may differ
    assert all("加密" in k or PdfReader(io.BytesIO(a[k])).is_encrypted for k in differ), differ
    assert (out / "expected.json").read_bytes() == (other / "expected.json").read_bytes()
    assert (out / "ocr-truth.json").read_bytes() == (other / "ocr-truth.json").read_bytes()
