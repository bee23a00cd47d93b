"""The audit's index (``OUT/index.sqlite``) and the search over it (``dossier search``).

The audit writes every text line it read (file, page, box, text), every page's perceptual
hashes and the evidence facts it parsed into one SQLite file beside findings.json, so that
during publicity the office can find every place a name, an ID number, a patent or
certificate number, an amount or a page image appears in the batch without reading the
files again.

Tables (``SCHEMA_VERSION`` 1):

* ``meta``: one row: schema, run_id, batch, created, masked, tool_version, salt;
* ``pages``: file, sha256, page, source, phash, dhash, ink box, unit, nominee (name),
  nominee_key (folder), document (what the page is, in Chinese);
* ``lines``: file, page, line number, box x0 y0 x1 y1, text (masked when the index is),
  ``norm`` and ``compact`` (:func:`normalize`, :func:`compact`) for matching;
* ``facts``: the evidence items' fields and the approval forms' fields (kind, key, value),
  with the box of the text each was read from;
* ``amounts``: every amount of money on a line or in a fact, in 元 (exact decimal text);
* ``secrets``: a salted sha256 of every whole ID or phone number that masking hides, so a
  full number typed by the office still finds the masked line. The digits themselves are
  not stored when the index is masked.

Matching: both sides go through :func:`normalize` (full-width to half-width, no white
space, upper case, ``O``/``l`` read for 0/1 inside figures). A query that looks like a
number (patent, certificate) is compared without punctuation too (:func:`compact`), so
``ZL 2018 1 4048706.9``, ``ZL201814048706.9`` and ``201814048706.9`` find the same line; a
query that is an amount is compared as a number (``23.15万元`` = ``231500元`` =
``贰拾叁万壹仟伍佰元整``); a full ID or phone number is looked up by its hash.

The salted hash keeps the numbers out of plain sight, no more: ID numbers are few enough
that someone holding the index could test every candidate. The index is as confidential
as the batch.

This module reaches ``extractors`` (the page hash of :func:`search_image`), so
``reports`` may not import it (import-linter).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets as _secrets
import sqlite3
import tempfile
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from audit.errors import UsageError
from audit.model import KIND_ZH, Fact
from audit.numbers import find_amounts, halfwidth
from audit.privacy import (ID15_RE, blank_out, ID_OCR_RE, ID_RE, LABELLED_PHONE_RE, LANDLINE_RE, MOBILE_RE,
                           mask_text, sensitive_spans)

__all__ = ["INDEX_NAME", "SCHEMA_VERSION", "TEXT", "NUMBER", "AMOUNT", "IMAGE", "write_index",
           "search", "search_image", "index_path", "normalize", "compact", "sensitive_numbers"]

INDEX_NAME = "index.sqlite"
SCHEMA_VERSION = 1

# what a hit matched (the ``kind`` of a hit)
TEXT, NUMBER, AMOUNT, IMAGE = "文字", "号码", "金额", "图像"
_RANK = {TEXT: 1, AMOUNT: 2, NUMBER: 3}

_HINT = ("请给出审核结果文件夹（即 dossier audit 材料文件夹 -o 输出文件夹 所写的输出文件夹，其中有 "
         f"{INDEX_NAME}），例如：dossier search ./审核结果 张三")

# what the papers of attachment 3 and other files are called, by FileRecord.material
_ROLE_ZH = {"form": "推荐审批表", "summary": "汇总表", "publicity": "公示材料", "report": "推荐报告",
            "deeds": "事迹材料", "ppt": "PPT", "photo": "照片", "receipt": "收件登记"}
# benefit figures parsed in 万元 (evidence_kinds.yaml: benefit_statement; forms' per_year)
_WAN_KEYS = {"created", "saved", "created_capitals", "saved_capitals"}
_WAN = Decimal(10000)

_SCHEMA = """
CREATE TABLE meta (schema INTEGER NOT NULL, run_id TEXT, batch TEXT, created TEXT NOT NULL,
                   masked INTEGER NOT NULL, tool_version TEXT, salt TEXT NOT NULL);
CREATE TABLE pages (id INTEGER PRIMARY KEY, file TEXT NOT NULL, sha256 TEXT, page INTEGER NOT NULL,
                    source TEXT, phash TEXT, dhash TEXT, ix0 REAL, iy0 REAL, ix1 REAL, iy1 REAL,
                    unit TEXT, nominee TEXT, nominee_key TEXT, document TEXT,
                    UNIQUE (file, page));
CREATE TABLE lines (id INTEGER PRIMARY KEY, file TEXT NOT NULL, page INTEGER NOT NULL,
                    line INTEGER NOT NULL, x0 REAL, y0 REAL, x1 REAL, y1 REAL,
                    text TEXT NOT NULL, norm TEXT NOT NULL, compact TEXT NOT NULL, confidence REAL);
CREATE TABLE facts (id INTEGER PRIMARY KEY, file TEXT NOT NULL, page INTEGER,
                    x0 REAL, y0 REAL, x1 REAL, y1 REAL, kind TEXT NOT NULL, key TEXT NOT NULL,
                    value TEXT NOT NULL, text TEXT NOT NULL, norm TEXT NOT NULL, compact TEXT NOT NULL,
                    unit TEXT, nominee TEXT, nominee_key TEXT);
CREATE TABLE amounts (yuan TEXT NOT NULL, line_id INTEGER, fact_id INTEGER);
CREATE TABLE secrets (digest TEXT NOT NULL, kind TEXT NOT NULL, line_id INTEGER, fact_id INTEGER);
CREATE INDEX lines_page ON lines (file, page);
CREATE INDEX amounts_yuan ON amounts (yuan);
CREATE INDEX secrets_digest ON secrets (digest);
"""


# ---------------------------------------------------------------------------------------
# normalising text for matching

_WS = re.compile(r"\s+")
_O_NEAR_DIGIT = re.compile(r"(?<=\d)[Oo]|[Oo](?=\d)")
# l, I and | for 1: beside a digit, and not part of a word (the L of ZL stays a letter)
_ONE_NEAR_DIGIT = re.compile(r"(?<![A-Za-z])[lI|](?=\d)|(?<=\d)[lI|](?![A-Za-z])")
_NOT_WORD = re.compile(r"[\W_]+")


def normalize(text: Optional[str]) -> str:
    """``text`` as the index compares it: NFKC (full-width → half-width), no white space,
    ``O``/``o`` beside a digit read as 0 and ``l``/``I``/``|`` as 1, upper case.
    ``normalize("ＺＬ 2O18 1 4048706.9") == "ZL201814048706.9"``."""
    s = _WS.sub("", unicodedata.normalize("NFKC", text or ""))
    prev = None
    while prev != s:
        prev = s
        s = _ONE_NEAR_DIGIT.sub("1", _O_NEAR_DIGIT.sub("0", s))
    return s.upper()


def compact(text: Optional[str]) -> str:
    """:func:`normalize` without punctuation: ``ZL2018140487069`` (numbers compared this way)."""
    return _NOT_WORD.sub("", normalize(text))


def _number_like(c: str) -> bool:
    """A compacted query that is an identifier (patent, certificate, ID number): letters and
    digits only, at least five digits."""
    return bool(re.fullmatch(r"[0-9A-Z]+", c)) and sum(ch.isdigit() for ch in c) >= 5


# ---------------------------------------------------------------------------------------
# whole ID and phone numbers (what masking hides), for the hash table

_OCR_TO_DIGIT = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})


def _fold(s: str) -> str:
    """Full-width to ASCII one character for one, so positions stay those of ``s`` (as
    audit.privacy folds before matching)."""
    out = []
    for ch in s:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def _numbers(t: str) -> Iterator[tuple[int, int, str, str]]:
    """``(start, end, kind, canonical)`` of every ID or phone number in the folded text ``t``;
    a landline also as its local number alone."""
    for m in ID_RE.finditer(t):
        yield m.start(), m.end(), "id", m.group(0).upper()
    for m in ID_OCR_RE.finditer(t):
        g = m.group(0)
        yield m.start(), m.end(), "id", g[:17].translate(_OCR_TO_DIGIT) + g[17:].upper()
    for m in ID15_RE.finditer(t):
        yield m.start(), m.end(), "id", m.group(0)
    for m in MOBILE_RE.finditer(t):
        yield m.start(), m.end(), "phone", m.group(1) + m.group(3) + m.group(4)
    for m in LANDLINE_RE.finditer(t):
        yield m.start(), m.end(), "phone", re.sub(r"\D", "", m.group(0))
        yield m.start(), m.end(), "phone", m.group(1) + m.group(2)
    for m in LABELLED_PHONE_RE.finditer(t):
        yield m.start(), m.end(), "phone", re.sub(r"\D", "", m.group(0))
        yield m.start(), m.end(), "phone", m.group(1) + m.group(2)


def sensitive_numbers(text: str, spans: Optional[list[tuple[int, int]]] = None) -> list[tuple[str, str]]:
    """``(kind, number)`` for each whole ID (``id``) or phone number (``phone``) of ``text``
    that :func:`audit.privacy.mask_text` hides part of (``spans``: its
    :func:`~audit.privacy.sensitive_spans`, computed when not given). Numbers come back
    canonical: an ID in upper case with OCR's ``O``/``l`` read as digits, a phone number as
    digits only (a landline both with and without its area code)."""
    if not text:
        return []
    if spans is None:
        spans = sensitive_spans(text)
    if not spans:
        return []
    out: list[tuple[str, str]] = []
    for a, b, kind, value in _numbers(_fold(text)):
        if any(a < y and x < b for x, y in spans) and (kind, value) not in out:
            out.append((kind, value))
    return out


def _query_numbers(query: str) -> set[str]:
    """The numbers a query may be (unmasked ID or phone numbers), canonical as above; also
    the query's bare digits (a local phone number typed without its area code)."""
    q = _fold(unicodedata.normalize("NFKC", query)).strip()
    bare = re.sub(r"[\s\-—–()（）+]", "", q)
    out = {v for s in (q, bare) for _a, _b, _k, v in _numbers(s)}
    if re.fullmatch(r"[0-9OolI|]{17}[0-9Xx]|[0-9]{15}", bare):
        out.add(bare[:17].translate(_OCR_TO_DIGIT) + bare[17:].upper())
    digits = re.sub(r"^(?:\+|00)?86(?=1[3-9]\d{9}$)", "", bare)
    if re.fullmatch(r"\d{7,12}", digits):
        out.add(digits)
    return out


def _digest(salt: str, value: str) -> str:
    return hashlib.sha256(f"{salt}:{value}".encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------
# amounts

def _yuan_key(d: Decimal) -> str:
    """An amount in 元 as exact text without exponent or trailing zeros: ``231500``, ``36.5``."""
    return format(d.normalize(), "f")


def _query_amount(query: str) -> Optional[Decimal]:
    """The amount (元) a query is, when it is one: a figure with a unit or currency sign
    (``23.15万元``, ``231500元``, ``￥231,500``) or capitals (``贰拾叁万壹仟伍佰元整``)."""
    s = _WS.sub("", halfwidth(query))
    found = find_amounts(s)
    if not found or len({v for v, *_ in found}) != 1:
        return None
    covered = sum(e - a for _v, a, e, _r, _k in found)
    if covered < 0.6 * len(s):
        return None
    return found[0][0]


# ---------------------------------------------------------------------------------------
# writing

def write_index(result: Any, path: Path, *, masked: bool = True) -> None:
    """Write the index of ``result`` (an :class:`audit.pipeline.AuditResult`) to ``path``
    (normally ``OUT/index.sqlite``), replacing any index there. When ``masked``, the text
    and facts are stored as :func:`audit.privacy.mask_text` shows them; whole ID and phone
    numbers are kept only as salted hashes, for :func:`search`. The file appears whole or
    not at all (written beside and renamed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".index-", suffix=".sqlite", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.executescript(_SCHEMA)
            salt = _secrets.token_hex(16)
            con.execute("INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?, ?)", (
                SCHEMA_VERSION, getattr(result, "run_id", None),
                (mask_text if masked else str)(str(getattr(result, "batch", "") or "")),
                dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds"),
                int(bool(masked)), getattr(result, "tool_version", None), salt))
            _Writer(con, result, masked=masked, salt=salt).write()
            con.commit()
        finally:
            con.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _Writer:
    def __init__(self, con: sqlite3.Connection, result: Any, *, masked: bool, salt: str) -> None:
        self.con, self.result, self.masked, self.salt = con, result, masked, salt
        ctx = result.ctx
        self.files = {f.path: f for f in list(ctx.files) + list(getattr(ctx, "root_files", None) or [])}
        self.names = {n.key: n.name for n in ctx.nominees}
        self.documents = self._documents()

    def _documents(self) -> dict[tuple[str, int], str]:
        """(file, page) → what the page is: the evidence item's kind, else the file's material."""
        out: dict[tuple[str, int], str] = {}
        for n in self.result.ctx.nominees:
            for it in n.evidence:
                label = KIND_ZH.get(it.kind, it.kind)
                for part in it.parts or [{"file": it.file, "pages": it.pages}]:
                    for no in part.get("pages") or []:
                        out.setdefault((part["file"], int(no)), label)
        return out

    def m(self, text: Optional[str]) -> Optional[str]:
        """``text`` as stored: masked when the index is (file paths and folders too, as in
        findings.json)."""
        return mask_text(text) if self.masked and text else text

    def _shown(self, text: str) -> tuple[str, list[tuple[int, int]]]:
        spans = sensitive_spans(text)
        return (blank_out(text, spans) if self.masked else text), spans

    def _secrets(self, text: str, spans: list[tuple[int, int]], col: str, row_id: int) -> None:
        for kind, value in sensitive_numbers(text, spans):
            self.con.execute(f"INSERT INTO secrets (digest, kind, {col}) VALUES (?, ?, ?)",
                             (_digest(self.salt, value), kind, row_id))

    def write(self) -> None:
        for file in sorted(self.result.extractions):
            self._file(file, self.result.extractions[file])
        for n in self.result.ctx.nominees:
            for it in n.evidence:
                for key, fact in (it.fields or {}).items():
                    self._fact(fact, key, it.kind, it.file, (it.pages or [None])[0], n)
            for form in list(getattr(n, "forms", None) or ([n.form] if n.form else [])):
                for key, fact in (form.fields or {}).items():
                    self._fact(fact, key, "approval_form", form.file, None, n)
                for key, years in (form.per_year or {}).items():
                    if key.startswith("benefit."):
                        for year, fact in years.items():
                            self._fact(fact, f"{key}.{year}", "approval_form", form.file, None, n,
                                       wan=True)

    def _file(self, file: str, ex: Any) -> None:
        rec = self.files.get(file)
        unit = rec.unit if rec else None
        key = rec.nominee if rec else None
        role = _ROLE_ZH.get(rec.material) if rec else None
        shown_file = self.m(file)
        for p in ex.pages:
            ib = list(p.ink_box) if getattr(p, "ink_box", None) else [None] * 4
            self.con.execute(
                "INSERT OR REPLACE INTO pages (file, sha256, page, source, phash, dhash, ix0, iy0, ix1, iy1,"
                " unit, nominee, nominee_key, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (shown_file, ex.sha256, int(p.page), p.source, p.phash, p.dhash, *ib, self.m(unit),
                 self.m(self.names.get(key)) if key else None, self.m(key),
                 self.documents.get((file, int(p.page))) or role))
            for no, ln in enumerate(p.lines, 1):
                if not (ln.text or "").strip():
                    continue
                shown, spans = self._shown(ln.text)
                box = list(ln.box) if ln.box else [None] * 4
                cur = self.con.execute(
                    "INSERT INTO lines (file, page, line, x0, y0, x1, y1, text, norm, compact, confidence)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (shown_file, int(p.page), no, *box, shown, normalize(shown), compact(shown),
                     float(ln.confidence) if ln.confidence is not None else None))
                line_id = cur.lastrowid
                self._secrets(ln.text, spans, "line_id", line_id)
                for yuan in {_yuan_key(v) for v, *_ in find_amounts(shown)}:
                    self.con.execute("INSERT INTO amounts (yuan, line_id) VALUES (?, ?)", (yuan, line_id))

    def _fact(self, fact: Any, key: str, kind: str, file: str, page: Optional[int], nominee: Any,
              *, wan: bool = False) -> None:
        if not isinstance(fact, Fact):
            return
        span = fact.spans[0] if fact.spans else None
        f_file = span.file if span and span.file else file
        f_page = span.page if span and span.page is not None else page
        box = list(span.box) if span and span.box else [None] * 4
        span_text = (span.text if span else "") or fact.raw or ""
        wan = wan or (kind == "benefit_statement" and key in _WAN_KEYS)
        for value in _fact_values(fact.value):
            if not value.strip():
                continue
            shown, spans = self._shown(value)
            text, _ = self._shown(span_text or value)
            cur = self.con.execute(
                "INSERT INTO facts (file, page, x0, y0, x1, y1, kind, key, value, text, norm, compact,"
                " unit, nominee, nominee_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.m(f_file), f_page, *box, kind, key, shown, text, normalize(shown), compact(shown),
                 self.m(nominee.unit), self.m(nominee.name), self.m(nominee.key)))
            fact_id = cur.lastrowid
            self._secrets(value, spans, "fact_id", fact_id)
            if span_text and span_text != value:
                self._secrets(span_text, sensitive_spans(span_text), "fact_id", fact_id)
            if wan and isinstance(fact.value, Decimal):
                self.con.execute("INSERT INTO amounts (yuan, fact_id) VALUES (?, ?)",
                                 (_yuan_key(fact.value * _WAN), fact_id))


def _fact_values(v: Any) -> list[str]:
    """A fact's value as the texts to index: strings, numbers and dates as they are, each
    string of a list; booleans, tables and empty values not at all."""
    if v is None or isinstance(v, bool):
        return []
    if isinstance(v, Decimal):
        return [_yuan_key(v)]
    if isinstance(v, (str, int)):
        return [str(v)]
    if isinstance(v, (dt.date, dt.datetime)):
        return [v.isoformat()]
    if isinstance(v, (list, tuple)):
        return [x for x in v if isinstance(x, str)]
    return []


# ---------------------------------------------------------------------------------------
# reading

def index_path(run_or_out: Path) -> Path:
    """The index of an audit: ``run_or_out`` is the audit's output folder (holding
    ``index.sqlite``) or that file itself. Anything else is a :class:`UsageError`."""
    p = Path(run_or_out)
    if p.is_dir():
        cand = p / INDEX_NAME
        if cand.is_file():
            return cand
        raise UsageError(f"文件夹 {p} 中没有审核索引（{INDEX_NAME}），它不是审核结果文件夹", _HINT)
    if p.is_file():
        with open(p, "rb") as fh:
            head = fh.read(16)
        if head == b"SQLite format 3\x00":
            return p
        raise UsageError(f"{p} 不是审核索引文件", _HINT)
    raise UsageError(f"找不到审核结果：{p}", _HINT)


def _open(index: Path) -> tuple[sqlite3.Connection, dict]:
    """The index opened read-only, and its meta row; an index not ours is a UsageError."""
    path = index_path(index)
    try:
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        con.row_factory = sqlite3.Row
        row = con.execute("SELECT * FROM meta").fetchone()
    except sqlite3.Error as exc:
        raise UsageError(f"{path} 不是本工具写的审核索引，或已损坏（{exc}）",
                         "请重新运行 dossier audit 生成审核结果后再查找。") from exc
    if row is None or row["schema"] != SCHEMA_VERSION:
        con.close()
        raise UsageError(f"{path} 的格式与本版本不符",
                         "请用本版本重新运行 dossier audit 生成审核结果后再查找。")
    return con, dict(row)


def _box(row: sqlite3.Row, prefix: str = "") -> Optional[list[float]]:
    vals = [row[prefix + k] for k in ("x0", "y0", "x1", "y1")]
    return None if any(v is None for v in vals) else [float(v) for v in vals]


def _overlap(a: Optional[list[float]], b: Optional[list[float]]) -> bool:
    if a is None or b is None:
        return True
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


_LINE_SQL = ("SELECT l.id, l.file, l.page, l.x0, l.y0, l.x1, l.y1, l.text, p.unit, p.nominee,"
             " p.document FROM lines l LEFT JOIN pages p ON p.file = l.file AND p.page = l.page")
_FACT_SQL = ("SELECT f.id, f.file, f.page, f.x0, f.y0, f.x1, f.y1, f.text, f.unit, f.nominee,"
             " p.document FROM facts f LEFT JOIN pages p ON p.file = f.file AND p.page = f.page")


def search(index: Path, query: str, *, limit: int = 200) -> list[dict]:
    """Every place ``query`` appears in the audited batch: a name or any text, a full ID or
    phone number (found on a masked index through its hash), a patent or certificate number
    (with or without ``ZL``, dots, spaces), an amount (compared as a number). ``index`` is the
    audit's output folder or its ``index.sqlite``.

    Each hit: ``{file, page, box, text, unit, nominee, document, kind, distance}`` with
    ``kind`` what matched (文字, 号码, 金额), ``distance`` None; at most ``limit`` hits, by
    unit, nominee, file, page and position. ``text`` is the line as stored: masked when the
    index is."""
    q = (query or "").strip()
    if not q:
        raise UsageError("没有给出要查找的内容",
                         "请给出姓名、身份证号、专利号、证书编号、金额或文字，例如：dossier search ./审核结果 张三")
    con, meta = _open(index)
    try:
        found: dict[tuple[str, int], tuple[str, sqlite3.Row]] = {}

        def add(src: str, rows: Iterable[sqlite3.Row], kind: str) -> None:
            for r in rows:
                old = found.get((src, r["id"]))
                if old is None or _RANK[kind] > _RANK[old[0]]:
                    found[(src, r["id"])] = (kind, r)

        digests = sorted({_digest(meta["salt"], v) for v in _query_numbers(q)})
        amount = _query_amount(q)
        c, n = compact(q), normalize(q)
        for src, sql in (("line", _LINE_SQL), ("fact", _FACT_SQL)):
            alias, col = src[0], f"{src}_id"
            if digests:       # a full ID or phone number: by its hash (masked text hides it)
                marks = ",".join("?" * len(digests))
                add(src, con.execute(f"{sql} WHERE {alias}.id IN (SELECT {col} FROM secrets"
                                     f" WHERE digest IN ({marks}))", digests), NUMBER)
            if amount is not None:
                add(src, con.execute(f"{sql} WHERE {alias}.id IN (SELECT {col} FROM amounts"
                                     " WHERE yuan = ?)", (_yuan_key(amount),)), AMOUNT)
            if _number_like(c):   # patent, certificate numbers: without punctuation
                add(src, con.execute(f"{sql} WHERE instr({alias}.compact, ?) > 0", (c,)), NUMBER)
            add(src, con.execute(f"{sql} WHERE instr({alias}.norm, ?) > 0", (n,)), TEXT)
    finally:
        con.close()
    lines = [(k, r) for (src, _), (k, r) in found.items() if src == "line"]
    facts = [(k, r) for (src, _), (k, r) in found.items() if src == "fact"]
    by_page: dict[tuple[str, int], list[Optional[list[float]]]] = {}
    for _k, r in lines:
        by_page.setdefault((r["file"], r["page"]), []).append(_box(r))
    hits = [_hit(r, k) for k, r in lines]
    for k, r in facts:    # a fact read from a line already hit is that hit
        if any(_overlap(_box(r), b) for b in by_page.get((r["file"], r["page"]), [])):
            continue
        hits.append(_hit(r, k))
    hits.sort(key=lambda h: (h["unit"] or "", h["nominee"] or "", h["file"], h["page"] or 0,
                             (h["box"] or [0, 0])[1], (h["box"] or [0, 0])[0]))
    return hits[:max(0, int(limit))]


def _hit(r: sqlite3.Row, kind: str, distance: Optional[int] = None) -> dict:
    return {"file": r["file"], "page": r["page"], "box": _box(r), "text": r["text"],
            "unit": r["unit"], "nominee": r["nominee"], "document": r["document"],
            "kind": kind, "distance": distance}


def search_image(index: Path, image: Path, *, max_distance: int = 12) -> list[dict]:
    """The pages whose image looks like ``image``: the image is hashed as the audit hashes
    rendered pages (:func:`extractors.ocr.page_image_hashes`: pHash of the ink area, 256
    bits), and pages whose pHash differs in at most ``max_distance`` bits come back, nearest
    first: ``{file, page, box (the page's ink area), text (its first line), unit, nominee,
    document, kind: 图像, distance}``. Only pages the audit rendered (scans and images) have
    a hash; text-layer pages and office files are not compared."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    from extractors.ocr import page_image_hashes

    image = Path(image)
    con, _meta = _open(index)
    try:
        try:
            with Image.open(image) as im:
                im.load()
                img = ImageOps.exif_transpose(im).convert("RGB")
        except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError) as exc:
            raise UsageError(f"无法读取图片：{image}",
                             "请给出 JPG、PNG 或 TIF 格式的图片文件，例如：dossier search ./审核结果 --image 证书.jpg"
                             ) from exc
        phash, _dhash, _ink = page_image_hashes(img)
        if phash is None:
            raise UsageError(f"图片 {image} 几乎是空白的，无法比对",
                             "请给出有文字或图案的页面图片（扫描件或照片）。")
        want = int(phash, 16)
        rows = con.execute(
            "SELECT p.file, p.page, p.phash, p.ix0 AS x0, p.iy0 AS y0, p.ix1 AS x1, p.iy1 AS y1,"
            " p.unit, p.nominee, p.document, (SELECT l.text FROM lines l WHERE l.file = p.file"
            " AND l.page = p.page ORDER BY l.line LIMIT 1) AS text FROM pages p"
            " WHERE p.phash IS NOT NULL").fetchall()
    finally:
        con.close()
    hits = []
    for r in rows:
        try:
            d = (int(r["phash"], 16) ^ want).bit_count()
        except ValueError:
            continue
        if d <= max_distance:
            hits.append(_hit(r, IMAGE, d))
    hits.sort(key=lambda h: (h["distance"], h["file"], h["page"]))
    return hits
