"""The audit, top to bottom as the data flow of design.md:

    intake → extract → classify → parse → rules → second reading → exhibits
    → (outputs, written by the CLI)

``run_audit`` returns data; it writes nothing into the batch and prints nothing.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from audit import __version__
from audit.errors import UsageError
from audit.evidence import classify_page, join_across_files, split_documents
from audit.forms import parse_approval_form
from audit.exhibits import Exhibits
from audit.illustrate import gather
from audit.graph import EvidenceGraph, graph_of
from audit.intake import IntakeResult, intake
from audit.model import AuditContext, EvidenceItem, Fact, Finding, Nominee, ReadIssue, SealInfo, Span, Unit
from audit.profile import Profile
from audit.publicity import parse_publicity, parse_report_date
from audit.receipts import match_unit, parse_receipts
from audit.summary import parse_summary_table
from extractors.base import Extraction
from rules.process import process_overview, summary_row
from audit.second_reading import recheck
from rules.reconcile import reconcile
from rules.registry import all_rules

NAME_RE = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
Progress = Callable[[str, int, Optional[int]], None]   # (what, increment, total or None)


@dataclass
class AuditOptions:
    ocr: str = "rapid"                 # rapid | tesseract | null | replay:FILE
    jobs: Optional[int] = None         # worker processes (None: all cores)
    cache_dir: Optional[str] = "auto"  # "auto" = $DOSSIER_CACHE_DIR or the user cache dir; None = no cache
    progress: Optional[Progress] = None
    strict: bool = False               # let a failing rule raise (tests, --debug)
    second_reading: bool = True        # re-read doubtful deciding values with the other OCR engine


@dataclass
class AuditResult:
    batch: str
    profile: Profile
    run_id: str
    started: str
    finished: str
    ctx: AuditContext
    findings: list[Finding]
    extractions: dict[str, Extraction] = field(default_factory=dict)
    stats: dict = field(default_factory=dict)
    tool_version: str = __version__
    reconciliation: dict = field(default_factory=dict)   # nominee folder → rows (rules.reconcile)
    graph: Optional[EvidenceGraph] = None                # the evidence graph (audit.graph), shared keys
    exhibits: Exhibits = field(default_factory=Exhibits)  # page images and excerpts for the reports
    overview: dict = field(default_factory=dict)         # what the P rules looked at (rules.process)


def check_paths(batch: Path, out: Optional[Path]) -> None:
    """Usage errors before any work: no such folder, OUT inside BATCH."""
    if not batch.exists():
        raise UsageError(f"找不到材料文件夹：{batch}", "请确认路径是否正确，例如：dossier audit ./2020材料 -o ./审核结果")
    if not batch.is_dir():
        raise UsageError(f"{batch} 不是文件夹", "请给出存放各推荐单位材料的文件夹（压缩包请放在文件夹内）。")
    if out is not None:
        b, o = batch.resolve(), out.resolve()
        if o == b or o.is_relative_to(b):
            raise UsageError(f"输出文件夹 {out} 位于材料文件夹之内", "审核结果不得写入报送材料中，请另选一个输出文件夹，例如 -o ./审核结果。")


def run_audit(batch: Path, profile: Profile, options: AuditOptions) -> AuditResult:
    """Audit one batch folder and return the result (nothing is written)."""
    check_paths(batch, None)
    started = dt.datetime.now(dt.timezone.utc).astimezone()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dossier-") as work:
        taken = intake(batch, Path(work), profile.get("read_limits", {}) or {})
        t1 = time.perf_counter()
        extractions, ocr_stats = extract(taken, profile, options)
        t2 = time.perf_counter()
        classify(taken, extractions)
        ctx = parse(taken, extractions, profile)
        rule_errors: list[str] = []
        findings = apply_rules(ctx, None if options.strict else rule_errors)
        t3 = time.perf_counter()
        # the doubtful spots behind findings read again by the other engine (the files
        # extracted from zips are still in the work folder here)
        reread = (recheck(findings, ctx, extractions, options.ocr) if options.second_reading
                  else {"engine": None, "checked": 0})
        t4 = time.perf_counter()
        # the pages and excerpts the reports show beside each finding, while the files are at hand
        exhibits = gather(findings, ctx, extractions, workers=options.jobs or max(1, os.cpu_count() or 1),
                          cache_dir=options.cache_dir)
        t5 = time.perf_counter()
    table, table_errors = reconcile(ctx)
    stats = {"files": len(taken.files), "pages": sum(len(e.pages) for e in extractions.values()),
             "seconds": {"intake": round(t1 - t0, 3), "extract": round(t2 - t1, 3),
                         "rules": round(t3 - t2, 3), "second_reading": round(t4 - t3, 3),
                         "exhibits": round(t5 - t4, 3),
                         "total": round(time.perf_counter() - t0, 3)},
             "rule_errors": rule_errors + [f"核对表 {e['nominee']}: {e['error']}" for e in table_errors],
             "second_reading": reread, **ocr_stats}
    return AuditResult(
        batch=str(batch), profile=profile, run_id=uuid.uuid4().hex[:12],
        started=started.isoformat(timespec="seconds"),
        finished=dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds"),
        ctx=ctx, findings=findings, extractions=extractions, stats=stats, reconciliation=table,
        graph=graph_of(ctx), exhibits=exhibits, overview=process_overview(ctx))


def extract(taken: IntakeResult, profile: Profile, options: AuditOptions) -> tuple[dict[str, Extraction], dict]:
    """Read every file (text layers, office files, OCR of scans), in parallel, cached."""
    from extractors.dispatch import extract_many
    from extractors.ocr import OcrOptions
    ocr_cfg = profile.get("ocr", {}) or {}
    ocr = OcrOptions(engine=options.ocr, dpi=int(ocr_cfg.get("dpi", 200)),
                     cache_dir=options.cache_dir)
    jobs = [(f.local, f.path, f.sha256) for f in taken.files]
    workers = options.jobs or max(1, os.cpu_count() or 1)
    user_progress = options.progress
    progress = None
    if user_progress is not None:
        def progress(kind: str, n: int) -> None:
            user_progress(kind, n, len(jobs) if kind == "files" else None)
    results = extract_many(jobs, limits=profile.get("read_limits", {}) or {}, ocr_options=ocr,
                           workers=workers, progress=progress)
    by_path = {e.file: e for e in results}
    pages_ocr = sum(1 for e in results for p in e.pages if p.source == "ocr")
    return by_path, {"ocr_pages": pages_ocr, "ocr_engine": options.ocr}


KIND_ROLE = {"approval_form": "form", "summary_table": "summary", "publicity_notice": "publicity",
             "recommendation_report": "report", "deeds": "deeds", "photo": "photo"}
PAPER_KINDS = set(KIND_ROLE) - {"photo"}


def classify(taken: IntakeResult, extractions: dict[str, Extraction]) -> None:
    """Decide each file's material by its content (first page with text), not its name.

    The content's kind wins over the name's hint where the content is one of the papers of
    attachment 3 (form, summary, publicity, report, deeds) or a photo; other content counts
    as evidence. A file whose content fits no kind keeps its name's hint."""
    for f in taken.files:
        ex = extractions.get(f.path)
        if ex is None or not ex.pages:
            continue
        if f.role == "ppt" or ex.media == "pptx":
            f.role = "ppt"
            continue
        if all(p.is_photo for p in ex.pages):
            f.kind = "photo"
            continue
        first = next((p for p in ex.pages if p.text.strip()), ex.pages[0])
        if ex.media in ("docx", "txt") and f.role == "deeds":
            continue                      # prose documents: the name is the better guide
        kind, _score = classify_page(first)
        role = KIND_ROLE.get(kind)
        if role is not None:
            f.kind = role
        elif kind != "unclassified" and f.role in ("unknown", "other") and f.nominee:
            f.kind = "evidence"
        if f.role == "unknown":
            f.role = "evidence" if f.nominee else "other"


def parse(taken: IntakeResult, extractions: dict[str, Extraction], profile: Profile) -> AuditContext:
    """Declared figures and unit papers into the model; unreadable files into read issues."""
    ctx = AuditContext(profile=profile, units=taken.units, files=taken.files,
                       root_files=taken.root_files)
    years = profile.years
    by_path = {f.path: f for f in taken.files}
    for path, unit, nkey, pr in taken.problems:
        ctx.read_issues.append(ReadIssue(path=path, reason=pr.reason, message=pr.message,
                                         unit=unit, nominee=nkey, detail=pr.detail))
    for path, ex in extractions.items():
        rec = by_path.get(path)
        for pr in ex.problems:
            ctx.read_issues.append(ReadIssue(
                path=path, reason=pr.reason, message=pr.message, unit=rec.unit if rec else None,
                nominee=rec.nominee if rec else None, sha256=ex.sha256, page=pr.page, detail=pr.detail))
    # receipt log at the root
    for f in taken.root_files:
        ex = extractions.get(f.path)
        if ex is not None and ex.pages and ("收件" in f.path or (f.kind == "receipt")):
            ctx.receipt_file = f.path
            receipts = parse_receipts(ex)
            for u in taken.units:
                got = match_unit(receipts, u.name)
                if got is not None:
                    ctx.receipts[u.name] = got
    for f in list(taken.files) + list(taken.root_files):
        ex = extractions.get(f.path)
        if ex is not None:
            f.metadata = file_facts(ex)
    for unit in taken.units:
        parse_unit(unit, extractions, years)
        for nom in unit.nominees:
            parse_nominee(nom, extractions, years)
            nom.summary = summary_row(unit, nom)
    return ctx


def parse_unit(unit: Unit, extractions: dict[str, Extraction], years: list[int]) -> None:
    for f in unit.files:
        ex = extractions.get(f.path)
        if ex is None or not ex.pages:
            continue
        r = f.material
        if r == "summary":
            t = parse_summary_table(ex, years=years)
            if t is not None:
                t.seals = page_seals(ex)
                unit.summaries.append(t)
        elif r == "publicity":
            unit.publicity.extend(parse_publicity(ex, default_year=max(years) + 1))
        elif r == "report":
            d = parse_report_date(ex)
            if d is not None and d.value and (unit.report_date is None or d.value > unit.report_date.value):
                unit.report_date = d          # several reports: the latest date decides


FORM_SOURCE_RANK = {"docx": 0, "xlsx": 1, "text-layer": 2, "ocr": 3}


def page_seals(ex: Extraction, pages: Optional[Iterable[int]] = None) -> list[SealInfo]:
    """The seals found on ``ex``'s pages (all, or those numbered in ``pages``) as SealInfo.
    Only OCR'd pages have any: a text layer is not rendered (extractors.base.Page.seals)."""
    want = None if pages is None else set(pages)
    return [SealInfo.from_page(d, file=ex.file, page=p.page, sha256=ex.sha256)
            for p in ex.pages if want is None or p.page in want for d in (p.seals or [])]


def attach_seals(its: list[EvidenceItem], ex: Extraction) -> None:
    """Give each evidence item the seals of its pages, and how its pages were read (``source``:
    ``ocr`` when every page was a scan, so seals were looked for; else the first page's)."""
    by_no = {p.page: p for p in ex.pages}
    for it in its:
        pages = [by_no[n] for n in it.pages if n in by_no]
        it.seals = page_seals(ex, it.pages)
        srcs = {p.source for p in pages if p.source != "none"}
        it.source = "ocr" if srcs == {"ocr"} else (pages[0].source if pages else "")


OVERLAY_MIN_COVER = 0.8   # an image covers this share of a text-layer page: a scan
OVERLAY_MAX_LINES = 3     # ... with only this many text lines on it: text laid over the scan


def file_facts(ex: Extraction) -> dict:
    """What F01 needs of a file (``FileRecord.metadata``): the PDF's document information and
    revision facts, how many pages were scans, and text layers laid over part of a scan."""
    md = ex.metadata or {}
    out = {k: md[k] for k in ("producer", "creator", "creation_date", "creation_date_iso", "mod_date",
                              "mod_date_iso", "incremental_updates", "linearized", "encrypted")
           if k in md}
    out["media"] = ex.media
    for k in ("exif", "text"):           # F02: an image's EXIF fields and PNG text chunks
        if md.get(k):
            out[k] = md[k]
    out["pages"] = len(ex.pages)
    out["scan_pages"] = sum(1 for p in ex.pages if p.source == "ocr")
    overlay = []
    by_no = {p.page: p for p in ex.pages}
    for no, cover in (md.get("image_cover") or {}).items():
        p = by_no.get(int(no))
        if p is None or p.source != "text-layer" or float(cover) < OVERLAY_MIN_COVER:
            continue
        lines = [ln for ln in p.lines if ln.text.strip()]
        if 0 < len(lines) <= OVERLAY_MAX_LINES:
            overlay.append({"page": p.page, "cover": float(cover), "lines": len(lines),
                            "text": " ".join(ln.text.strip() for ln in lines)[:60]})
    if overlay:
        out["text_overlay"] = overlay
    return out


def attach_page_hashes(its: list[EvidenceItem], extractions: dict[str, Extraction]) -> None:
    """Give each evidence item the pixel hashes of its rendered pages (every part), leaving
    out pages without text (blank pages all look alike): the graph's "page" keys."""
    for it in its:
        parts = it.parts or [{"file": it.file, "sha256": it.sha256, "pages": it.pages}]
        got = []
        it.page_phashes, it.page_lines = [], []
        for p in parts:
            ex = extractions.get(p["file"])
            if ex is None:
                continue
            by_no = {pg.page: pg for pg in ex.pages}
            for no in p.get("pages") or []:
                pg = by_no.get(no)
                if pg is not None and pg.image_sha256 and len(re.sub(r"\s", "", pg.text)) >= 4:
                    got.append((ex.file, int(no), pg.image_sha256))
                    if pg.phash and pg.dhash and pg.ink_box:       # X02: perceptual hashes, lines
                        x0, y0, x1, y1 = pg.ink_box
                        w, h = max(1.0, x1 - x0), max(1.0, y1 - y0)
                        it.page_phashes.append((ex.file, int(no), pg.phash, pg.dhash))
                        it.page_lines.append((ex.file, int(no), [
                            (ln.text, (round((ln.box[0] - x0) / w, 4), round((ln.box[1] - y0) / h, 4),
                                       round((ln.box[2] - x0) / w, 4), round((ln.box[3] - y0) / h, 4)))
                            for ln in pg.lines if ln.box and ln.text.strip()]))
        it.page_hashes = got


def _natural(path: str) -> list:
    """A sort key that puts 名单-2 before 名单-10."""
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", path)]


def parse_nominee(nom: Nominee, extractions: dict[str, Extraction], years: list[int]) -> None:
    pieces: list[tuple[Extraction, list[EvidenceItem]]] = []
    for f in nom.files:
        ex = extractions.get(f.path)
        if ex is None or not ex.pages:
            continue
        r = f.material
        if r == "form":
            form, _problems = parse_approval_form(ex, years=years)
            if form is not None:
                nom.forms.append(form)
        if r in ("evidence", "form") and ex.media in ("pdf", "image"):
            # a bound volume may carry a form or deeds pages too: those are not evidence items
            got = [it for it in split_documents(ex, unit=nom.unit, nominee=nom.key) if it.kind not in PAPER_KINDS]
            attach_seals(got, ex)
            pieces.append((ex, got))
        if r == "deeds" and nom.deeds_text is None:
            text = "\n".join(p.text for p in ex.pages)
            nom.deeds_text = Fact(value=text, raw="", spans=[Span(
                file=f.path, page=1, sha256=f.sha256, text=text[:60])])
    # a document spread over several files (a list scanned sheet by sheet) becomes one
    pieces.sort(key=lambda pc: _natural(pc[0].file))
    nom.evidence.extend(join_across_files(pieces))
    attach_page_hashes(nom.evidence, extractions)
    if nom.forms:
        nom.forms.sort(key=lambda fm: FORM_SOURCE_RANK.get(fm.source, 9))
        nom.form = nom.forms[0]
        named = nom.form.fields.get("name")
        if named is not None and named.value and not NAME_RE.match(nom.name):
            nom.name = re.sub(r"\s+", "", str(named.value))


def apply_rules(ctx: AuditContext, errors: Optional[list[str]] = None) -> list[Finding]:
    """Run every registered rule and number the findings.

    A rule that fails is a bug of ours, not of the batch: with ``errors`` given, the failure
    is recorded there (and shown in the report) and the other rules still run; without it,
    the exception propagates (tests run that way)."""
    findings: list[Finding] = []
    for r in all_rules():
        try:
            findings.extend(r.func(ctx))
        except Exception as e:  # noqa: BLE001 - recorded, shown, and the audit goes on
            if errors is None:
                raise
            errors.append(f"{r.code}: {type(e).__name__}: {e}")
    sev = {"high": 0, "medium": 1, "low": 2}
    findings.sort(key=lambda f: (f.unit or "", f.nominee or "", sev[f.severity.value], f.code))
    for i, f in enumerate(findings, 1):
        f.id = f"F{i:04d}"
    return findings
