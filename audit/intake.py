"""Intake: walk the batch (folders and zips, nested), hash every file, assign unit and nominee.

The batch is never written to. Zip members are copied into a private work folder, with
every name checked: members with '..' or absolute paths are refused, bombs are stopped by
the profile's limits, and names made on Chinese Windows (GBK, no UTF-8 flag) are decoded.
Symlinks are never followed; each is reported.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Optional

from audit.model import FileRecord, Nominee, Unit
from extractors.base import ReadProblem

CHUNK = 1 << 20
# hints from file names; content decides later (a name is a hint, not a fact)
ROLE_HINTS: list[tuple[str, tuple[str, ...]]] = [
    ("receipt", ("收件登记", "收件记录", "收件")),
    ("report", ("推荐报告", "推荐函")),
    ("publicity", ("公示",)),
    ("summary", ("汇总表", "基本情况汇总", "汇总")),
    ("form", ("审批表", "推荐表", "申报表", "登记表")),
    ("deeds", ("事迹",)),
    ("photo", ("工作照", "证件照", "生活照", "照片", "头像", "免冠")),
    ("evidence", ("证明材料", "佐证", "证书", "附件", "材料")),
]
PRIORITY_RE = re.compile(r"^\s*(?:[\(（]\s*(\d{1,2})\s*[\)）]|(\d{1,2})\s*[-_.、．\s]+)\s*")
CN_PRIORITY_RE = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．-]\s*")
NAME_NOISE_RE = re.compile(r"(同志)?(的)?(推荐|申报)?(材料|资料|申报材料|推荐材料)?$")


@dataclass
class IntakeResult:
    files: list[FileRecord] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    root_files: list[FileRecord] = field(default_factory=list)     # receipt log, campaign.yaml, loose files
    problems: list[tuple[str, Optional[str], Optional[str], ReadProblem]] = field(default_factory=list)
    # (path, unit, nominee folder key, problem)
    zip_roots: dict[str, str] = field(default_factory=dict)  # zip path → its single top folder


def sha256_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    with open(path, "rb") as f:
        while True:
            b = f.read(CHUNK)
            if not b:
                break
            h.update(b)
            n += len(b)
    return h.hexdigest(), n


def role_hint(name: str, suffix: str, folders: tuple[str, ...] = ()) -> str:
    """The role a file's name suggests (report, publicity, summary, form, …); failing that,
    the role its enclosing folders suggest (``照片/1.jpg``, ``证明材料/3.pdf``)."""
    if suffix in (".pptx", ".ppt"):
        return "ppt"
    for text in (name, *reversed(folders)):
        stem = text.replace(" ", "")
        for role, words in ROLE_HINTS:
            if any(w in stem for w in words):
                return role
    return "unknown"


def clean_nominee_name(folder: str) -> tuple[str, Optional[int]]:
    """'01-张三' → ('张三', 1); '（2）李四推荐材料' → ('李四', 2)."""
    name = folder.strip()
    if name.lower().endswith(".zip"):
        name = name[:-4]
    prio = None
    m = PRIORITY_RE.match(name)
    if m:
        prio = int(m.group(1) or m.group(2))
        name = name[m.end():]
    else:
        m = CN_PRIORITY_RE.match(name)
        if m:
            import cn2an
            try:
                prio = int(cn2an.cn2an(m.group(1), "smart"))
            except (ValueError, KeyError):
                prio = None
            name = name[m.end():]
    name = NAME_NOISE_RE.sub("", name).strip(" -_·.")
    return (name or folder), prio


def decode_zip_name(info: zipfile.ZipInfo) -> str:
    """Member name as the author wrote it: UTF-8 when flagged, else GBK (Chinese Windows)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


class _Walker:
    def __init__(self, batch: Path, work: Path, limits: dict):
        self.batch = batch
        self.work = work
        self.limits = limits
        self.result = IntakeResult()
        self._n = 0

    # -- problems -------------------------------------------------------------------------
    def problem(self, rel: str, reason: str, message: str, detail: str = "") -> None:
        self.result.problems.append((rel, None, None, ReadProblem(reason, message, detail=detail)))

    # -- files on disk --------------------------------------------------------------------
    def walk_dir(self, root: Path, rel: PurePosixPath) -> list[tuple[PurePosixPath, Path]]:
        """Regular files under root, as (batch-relative path, local path); zips expanded."""
        out: list[tuple[PurePosixPath, Path]] = []
        try:
            entries = sorted(os.scandir(root), key=lambda e: e.name)
        except OSError as e:
            self.problem(str(rel) or ".", "unreadable", f"文件夹无法读取：{e.strerror or e}")
            return out
        for e in entries:
            r = rel / e.name if str(rel) != "." else PurePosixPath(e.name)
            if e.is_symlink():
                target = os.path.realpath(e.path)
                inside = Path(target).is_relative_to(self.batch.resolve())
                where = "指向材料夹内部" if inside else "指向材料夹以外"
                self.problem(str(r), "symlink", f"这是一个符号链接（{where}：{target}），为安全起见未读取。")
                continue
            if e.is_dir(follow_symlinks=False):
                if e.name.startswith(".") or e.name in ("__MACOSX",):
                    continue
                out.extend(self.walk_dir(Path(e.path), r))
            elif e.is_file(follow_symlinks=False):
                if e.name.startswith("~$") or e.name in ("Thumbs.db", ".DS_Store", "desktop.ini"):
                    continue
                out.append((r, Path(e.path)))
            else:
                self.problem(str(r), "unsupported", "不是普通文件（设备、管道等），未读取。")
        return out

    def expand(self, rel: PurePosixPath, local: Path, depth: int = 0) -> list[tuple[str, Path]]:
        """A file, or the members of a zip (recursively), as (path string, local path)."""
        if local.suffix.lower() == ".zip" or _is_zip(local):
            if depth >= int(self.limits.get("max_zip_depth", 3)):
                self.problem(str(rel), "zip-bomb", "压缩包嵌套层数过多，未展开。")
                return []
            return self.unzip(str(rel), local, depth)
        return [(str(rel), local)]

    def unzip(self, rel: str, local: Path, depth: int) -> list[tuple[str, Path]]:
        out: list[tuple[str, Path]] = []
        try:
            zf = zipfile.ZipFile(local)
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            self.problem(rel, "corrupt", f"压缩包损坏，无法打开：{e}")
            return out
        with zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            max_members = int(self.limits.get("max_zip_members", 5000))
            total = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            max_total = float(self.limits.get("max_zip_total_mb", 2048)) * 1e6
            ratio = float(self.limits.get("max_zip_ratio", 200))
            if len(infos) > max_members or total > max_total or total / packed > ratio:
                self.problem(rel, "zip-bomb",
                             f"压缩包疑似“压缩炸弹”（{len(infos)} 个文件，解压后 {total / 1e6:.0f} MB，"
                             f"压缩比 {total / packed:.0f}:1），超出限制，未展开。")
                return out
            tops = {decode_zip_name(i).replace("\\", "/").lstrip("/").split("/")[0] for i in infos
                     if "/" in decode_zip_name(i).replace("\\", "/").lstrip("/")}
            flat = [i for i in infos if "/" not in decode_zip_name(i).replace("\\", "/").lstrip("/")]
            if len(tops) == 1 and not flat:
                self.result.zip_roots[rel] = tops.pop()
            self._n += 1
            dest_root = self.work / f"z{self._n:04d}"
            for info in infos:
                name = decode_zip_name(info)
                parts = PurePosixPath(name.replace("\\", "/")).parts
                mrel = f"{rel}!/{name}"
                if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
                    self.problem(mrel, "unsafe-path", f"压缩包内的文件名不安全（{name}），已拒绝解压。")
                    continue
                if parts and (parts[-1].startswith(".") or "__MACOSX" in parts):
                    continue
                if info.flag_bits & 0x1:
                    self.problem(mrel, "encrypted", "压缩包内的文件已加密，无法读取（需要密码）。")
                    continue
                if stat.S_ISLNK(info.external_attr >> 16):
                    self.problem(mrel, "symlink", "压缩包内的符号链接，未读取。")
                    continue
                dest = dest_root.joinpath(*parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                try:
                    _copy_capped(zf, info, dest, cap=max(info.file_size, 1) + 1)
                except _TooBig:
                    self.problem(mrel, "zip-bomb", "压缩包内文件实际大小超过声明大小，疑似压缩炸弹，未读取。")
                    continue
                except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
                    self.problem(mrel, "corrupt", f"压缩包内的文件无法解压：{e}")
                    continue
                out.extend(self.expand(PurePosixPath(mrel), dest, depth + 1))
        return out


class _TooBig(Exception):
    pass


def _copy_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, cap: int) -> None:
    n = 0
    with zf.open(info) as src, open(dest, "wb") as dst:
        while True:
            b = src.read(CHUNK)
            if not b:
                break
            n += len(b)
            if n > cap:
                raise _TooBig()
            dst.write(b)


def _is_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError:
        return False
    if head != b"PK\x03\x04":
        return False
    # office files are zips too: only treat as archive when it is not OOXML
    try:
        with zipfile.ZipFile(path) as zf:
            return "[Content_Types].xml" not in zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def intake(batch: Path, work: Path, limits: dict) -> IntakeResult:
    """Walk the batch read-only; return every file with its hash, unit and nominee."""
    w = _Walker(batch, work, limits)
    res = w.result
    units: dict[str, Unit] = {}
    nominees: dict[str, Nominee] = {}
    for rel, local in w.walk_dir(batch, PurePosixPath(".")):
        for path, lp in w.expand(rel, local):
            try:
                digest, size = sha256_file(lp)
            except OSError as e:
                w.problem(path, "unreadable", f"文件无法读取：{e.strerror or e}")
                continue
            rec = FileRecord(path=path, sha256=digest, size=size, local=str(lp))
            _place(rec, units, nominees, res)
            levels = _levels(path, res.zip_roots)
            inner = tuple(levels[2:-1]) if rec.nominee else tuple(levels[1:-1])
            rec.role = rec.role if rec.role == "profile" else role_hint(levels[-1], lp.suffix.lower(), inner)
            res.files.append(rec)
    res.units = list(units.values())
    for u in res.units:
        u.nominees.sort(key=lambda n: (n.priority is None, n.priority or 0, n.folder))
    # problems: attach unit / nominee from the path
    placed = []
    for path, _, _, pr in res.problems:
        unit, nkey = _locate(path, units, res.zip_roots)
        placed.append((path, unit, nkey, pr))
    res.problems = placed
    return res


def _levels(path: str, zip_roots: Optional[dict[str, str]] = None) -> list[str]:
    """Folder levels of a path, where a zip counts as a folder.

    A zip whose members all sit in one top folder counts as that folder (``张三.zip`` holding
    ``张三/…``, or ``祥符区材料.zip`` holding ``祥符区总工会/…``); otherwise as a folder named
    after the zip's stem."""
    roots = zip_roots or {}
    segs: list[str] = []
    chunks = path.split("!/")
    prefix = ""
    for i, chunk in enumerate(chunks):
        parts = [p for p in chunk.split("/") if p]
        if i > 0:
            zip_path = prefix
            root = roots.get(zip_path)
            if root and parts and parts[0] == root:
                parts = parts[1:]
        if i < len(chunks) - 1:       # this chunk ends with the zip file itself
            zip_path = (prefix + "!/" + chunk) if prefix else chunk
            root = roots.get(zip_path)
            stem = re.sub(r"\.zip$", "", parts[-1], flags=re.I)
            if root:
                # keep a priority prefix written on the zip ('02-李四.zip' holding '李四/')
                m = PRIORITY_RE.match(stem) or CN_PRIORITY_RE.match(stem)
                if m and not (PRIORITY_RE.match(root) or CN_PRIORITY_RE.match(root)):
                    root = m.group(0) + root
            parts[-1] = root or stem
            prefix = zip_path
        segs.extend(parts)
    return segs


def _locate(path: str, units: dict[str, Unit], zip_roots: dict[str, str]) -> tuple[Optional[str], Optional[str]]:
    levels = _levels(path, zip_roots)
    if len(levels) < 2:
        return None, None
    unit = units.get(levels[0])
    if unit is None:
        return levels[0], None
    if len(levels) >= 3:
        for n in unit.nominees:
            if n.folder.endswith("/" + levels[1]) or n.folder == f"{levels[0]}/{levels[1]}":
                return unit.name, n.key
    return unit.name, None


def _place(rec: FileRecord, units: dict[str, Unit], nominees: dict[str, Nominee],
           res: IntakeResult) -> None:
    levels = _levels(rec.path, res.zip_roots)
    if len(levels) == 1:
        res.root_files.append(rec)
        if rec.path.lower().endswith((".yaml", ".yml")) and rec.path.lower().startswith("campaign"):
            rec.role = "profile"
        return
    uname = levels[0]
    unit = units.get(uname)
    if unit is None:
        unit = units[uname] = Unit(name=uname, folder=uname)
    rec.unit = unit.name
    folder = levels[1]
    if len(levels) == 2 or _looks_like_material_folder(folder):
        unit.files.append(rec)
        return
    key = f"{uname}/{folder}"
    nom = nominees.get(key)
    if nom is None:
        name, prio = clean_nominee_name(folder)
        nom = nominees[key] = Nominee(unit=unit.name, name=name, folder=key, priority=prio)
        unit.nominees.append(nom)
    rec.nominee = nom.folder
    nom.files.append(rec)


def _looks_like_material_folder(name: str) -> bool:
    """A subfolder of a unit that holds the unit's own papers, not a nominee."""
    return any(w in name for w in ("公示", "推荐报告", "汇总表", "单位材料", "推荐单位材料"))
