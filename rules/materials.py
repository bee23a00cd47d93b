"""M rules: the materials of attachment 3 (what must be in the batch, and what could be read)."""
from __future__ import annotations

import re
from typing import Iterator, Optional

from audit.model import KIND_ZH, AuditContext, EvidenceItem, FileRecord, Finding, Nominee, Severity, Span
from rules.common import IMAGE_EXT, SCAN_EXT, file_span, files_with, name_of
from rules.registry import rule

NOMINEE_MATERIALS = [
    # (key, what to call it, test over the nominee's files)
    ("form", "推荐审批表（附件1）", lambda fs: bool(files_with(fs, "form"))),
    ("deeds", "事迹材料", lambda fs: bool(files_with(fs, "deeds"))),
    ("work_photo", "工作照", lambda fs: _photo(fs, "工作")),
    ("id_photo", "证件照", lambda fs: _photo(fs, "证件")),
    ("ppt", "5分钟PPT", lambda fs: bool(files_with(fs, "ppt"))),
    ("evidence", "证明材料（装订册或扫描件）", lambda fs: bool(files_with(fs, "evidence"))),
]


def _photo(files, which: str) -> bool:
    photos = files_with(files, "photo")
    named = [f for f in photos if which in name_of(f.path) or (which == "证件" and any(
        w in name_of(f.path) for w in ("免冠", "头像", "寸照")))]
    if named:
        return True
    # a 照片/ folder of unnamed pictures: two or more count as both photos
    loose = [f for f in photos if f.path.lower().endswith(IMAGE_EXT)
             and not any(w in name_of(f.path) for w in ("工作", "证件", "免冠", "头像", "生活"))]
    return len(loose) >= 2


@rule("M01", Severity.MEDIUM, title="缺少必备材料", clause="A3 1-7")
def required_materials(ctx: AuditContext) -> Iterator[Finding]:
    """A required material is missing.

    What it checks: per recommending unit, a recommendation report (推荐报告), a proof of the
    unit's publicity (公示), the summary table (汇总表) as an Excel file and as a scan; per
    nominee, the approval form (any format), the deeds material (事迹材料), a work photo and
    an ID photo, the presentation (PPT) and the evidence (a bound volume or a folder of scans).
    A file counts by what its content shows it to be when that is known, else by its name.

    Why: attachment 3, items 1-7 of the notice list the materials every submission must carry.

    Example finding: 推荐人选“张三”缺少：5分钟PPT、证件照。请联系推荐单位补交。

    Known false positives: a material merged into another file (the PPT pasted into the deeds
    document, both photos in one image) is not recognised; unreadable files (M03) do not
    count as present, so a corrupt form also shows here.

    Profile settings used: none.
    """
    for unit in ctx.units:
        missing = []
        if not files_with(unit.files, "report"):
            missing.append("推荐报告")
        if not files_with(unit.files, "publicity"):
            missing.append("公示证明（公示文件或截图）")
        summaries = files_with(unit.files, "summary")
        if not [f for f in summaries if f.path.lower().endswith((".xlsx", ".xlsm", ".xls", ".csv"))]:
            missing.append("汇总表电子版（xlsx）")
        if not [f for f in summaries if f.path.lower().endswith(SCAN_EXT)]:
            missing.append("汇总表盖章扫描件")
        if missing:
            yield Finding(
                code="M01", severity=Severity.MEDIUM, unit=unit.name,
                message=f"推荐单位“{unit.name}”缺少：{'、'.join(missing)}。请联系推荐单位补交。",
                found={"missing": missing}, key="unit:" + ",".join(missing),
                evidence=[file_span(f) for f in unit.files[:3]] or [],
            )
        for nom in unit.nominees:
            readable = [f for f in nom.files if f.path not in ctx.unreadable_paths()]
            lacks = [label for key, label, test in NOMINEE_MATERIALS if not test(readable)]
            if lacks:
                yield Finding(
                    code="M01", severity=Severity.MEDIUM, unit=unit.name, nominee=nom.name,
                    message=f"推荐人选“{nom.name}”缺少：{'、'.join(lacks)}。请联系推荐单位补交。",
                    found={"missing": lacks}, key="nominee:" + ",".join(lacks),
                    evidence=[file_span(f) for f in nom.files[:3]],
                )


@rule("M03", Severity.MEDIUM, title="文件无法读取", clause="—")
def unreadable_files(ctx: AuditContext) -> Iterator[Finding]:
    """A file could not be read; the audit went on without it.

    What it checks: every file of the batch that is corrupt, truncated, encrypted, empty,
    of an unsupported type, over the size limits, a zip bomb, a zip member with an unsafe
    path, or a symlink; and files whose content is not what their extension says (read by
    their real type, but reported).

    Why: a material that cannot be opened cannot be checked; the office must ask for a
    readable copy rather than pass the nominee on what it could not see.

    Example finding: 文件“证明材料.pdf”无法读取：PDF 文件已加密，无法读取（需要密码）。本次审核未包含该文件，请要求推荐单位提供可读版本。

    Known false positives: an old-format .doc/.xls/.wps file is reported as unsupported even
    though Office opens it; converting it to .docx/.xlsx resolves the finding.

    Profile settings used: read_limits (max_file_mb, max_pages, max_megapixels, zip limits).
    """
    for issue in ctx.read_issues:
        nominee = ctx.nominee_name(issue.nominee)
        partial = issue.reason in ("mislabelled",)
        tail = ("已按实际格式读取，请核实。" if partial
                else "本次审核未包含该文件，请要求推荐单位提供可读版本。")
        where = f"（第 {issue.page} 页）" if issue.page else ""
        yield Finding(
            code="M03", severity=Severity.MEDIUM, unit=issue.unit, nominee=nominee,
            message=f"文件“{name_of(issue.path)}”{where}无法正常读取：{issue.message.rstrip('。')}。{tail}",
            found={"reason": issue.reason, **({"detail": issue.detail} if issue.detail else {})},
            key=f"{issue.reason}:{issue.path}:{issue.page or 0}",
            evidence=[Span(file=issue.path, page=issue.page, sha256=issue.sha256, text=issue.message)],
        )


# what the classification of a file's content (FileRecord.kind) says, as an evidence kind
MATERIAL_KIND = {"form": "approval_form", "summary": "summary_table", "publicity": "publicity_notice",
                 "report": "recommendation_report", "deeds": "deeds", "photo": "photo"}
NOT_CONTENT = {"unclassified", "photo"}
# the papers of attachment 3 that a volume may carry but that are not evidence documents
PAPER = {"approval_form", "summary_table", "publicity_notice", "recommendation_report", "deeds"}


def kinds_named(text: str, profile) -> set[str]:
    """The kinds a file name (or a catalog entry) says a document is, widened by the families
    (a 荣誉证书 may hold a competition award). Empty for generic names (扫描件001, IMG_2020)."""
    t = re.sub(r"\s+", "", text or "")
    table = profile.get("file_name_kinds", {}) or {}
    got = {kind for kind, words in table.items() if any(w in t for w in words or [])}
    for fam in profile.get("file_name_families", []) or []:
        if got & set(fam):
            got |= set(fam)
    return got


def _stem(path: str) -> str:
    name = name_of(path)
    return name.rsplit(".", 1)[0] if "." in name else name


def _is_blank(it: EvidenceItem) -> bool:
    return bool(it.value("blank"))


def file_items(n: Nominee, f: FileRecord) -> list[EvidenceItem]:
    return [it for it in n.evidence if it.file == f.path]


def content_kinds(f: FileRecord, its: list[EvidenceItem]) -> set[str]:
    """What the content of a file was classified as: its documents' kinds, and the kind of
    paper (form, deeds, …) its first page showed."""
    got = {it.kind for it in its if it.kind not in NOT_CONTENT and not _is_blank(it)}
    if f.kind in MATERIAL_KIND and f.kind != "photo":
        got.add(MATERIAL_KIND[f.kind])
    return got


@rule("M04", Severity.LOW, title="文件名与内容不符", clause="—")
def name_contradicts_content(ctx: AuditContext) -> Iterator[Finding]:
    """A document's content contradicts its file name.

    What it checks: for every readable file of a nominee or a unit whose name says what it
    is (专利证书, 荣誉证书, 效益证明, 师带徒协议, 审批表, 推荐报告 …, words per kind in the
    profile), the kinds its content was classified as (each document found in it, and the
    paper kind of its first page). Reported when none of the documents in the file is of a
    kind the name allows. A 荣誉证书 may be a competition or innovation award (one family).

    Why: file and folder names are hints, not facts (batch-format.md); a mislabelled file
    misleads a reviewer who goes by the name, and sometimes hides that the document the
    name promises (the patent certificate) is missing.

    Example finding: 文件“专利证书.pdf”的文件名表示专利证书，但内容识别为荣誉证书（第1页）。请核对该文件，必要时请推荐单位更正文件名或补交相应材料。

    Known false positives: a document the classifier got wrong (an unusual layout); a file
    named after one document that holds several others. Generic names (扫描件001.pdf,
    IMG_2020.jpg, 证明材料.pdf) say nothing and are never reported; a file whose content
    could not be classified is not judged.

    Profile settings used: file_name_kinds, file_name_families.
    """
    p = ctx.profile
    for unit in ctx.units:
        cases: list[tuple[Optional[Nominee], FileRecord, list[EvidenceItem]]] = \
            [(None, f, []) for f in unit.files]
        for n in unit.nominees:
            cases += [(n, f, file_items(n, f)) for f in n.files]
        bad = ctx.unreadable_paths()
        for n, f, its in cases:
            if f.path in bad:
                continue
            named = kinds_named(_stem(f.path), p)
            if not named:
                continue
            got = content_kinds(f, its)
            if not got or got & named:
                continue
            shown = [it for it in its if it.kind in got] or its
            where = "、".join(f"{KIND_ZH.get(it.kind, it.kind)}（第{it.pages[0]}页）" for it in shown[:4] if it.pages) \
                or "、".join(KIND_ZH.get(k, k) for k in sorted(got))
            said = "或".join(KIND_ZH.get(k, k) for k in sorted(named))
            confs = [it.confidence for it in shown if it.confidence is not None]
            unsure = bool(confs) and max(confs) < 0.85
            ev = [Span(file=it.file, page=it.pages[0] if it.pages else None, sha256=it.sha256,
                       text=KIND_ZH.get(it.kind, it.kind)) for it in shown[:4]] or [file_span(f)]
            yield Finding(
                code="M04", severity=Severity.LOW, unit=unit.name, nominee=n.name if n else None,
                message=(f"文件“{name_of(f.path)}”的文件名表示{said}，但内容识别为{where}。"
                         f"请核对该文件，必要时请推荐单位更正文件名或补交相应材料。"
                         + ("（内容分类把握不大，请人工确认。）" if unsure else "")),
                declared=sorted(named), found=sorted(got), key=f.path,
                confidence=max(confs) if confs else None, evidence=ev)


def _page_count(f: FileRecord, its: list[EvidenceItem]) -> tuple[int, bool]:
    """(pages of the file, whether that is known exactly). Without a page count from the
    pipeline, the last page on which a document was found."""
    for attr in ("pages", "page_count", "n_pages"):
        v = getattr(f, attr, None)
        if isinstance(v, int) and v > 0:
            return v, True
    return max((pg for it in its for pg in it.pages), default=0), False


def _entry_label(e: dict) -> str:
    seq = f"第{e['seq']}项" if e.get("seq") else "一项"
    return f"{seq}“{e.get('title') or ''}”（第{e.get('page') or '?'}页）"


@rule("M02", Severity.LOW, title="证明材料目录缺失或与内容不符", clause="A3 7")
def evidence_catalog(ctx: AuditContext) -> Iterator[Finding]:
    """The evidence volume has no catalog (材料目录), or the catalog lists items that are not
    in the volume, or pages that are not listed.

    What it checks: every bound evidence volume of a nominee (a PDF holding two or more
    documents): it must carry a catalog (or the nominee has a separate catalog file). A
    catalog that could be read is compared with the volume: an entry whose pages are beyond
    the volume's last page, or whose title names a kind (专利证书, 效益证明 …) none of the
    documents on its pages has, is an item not in the volume; pages holding a document
    that no entry covers are pages not listed. A catalog of a folder of separate scans is
    compared by count: entries against the scans in that folder.

    Why: attachment 3 item 7: 证明材料…列出材料目录…并装订成册.

    Example finding: “张三”的证明材料“证明材料.pdf”没有材料目录。请推荐单位补充材料目录。

    Known false positives: a volume whose last pages are the approval form or the deeds
    (not evidence documents: without the file's page count from the pipeline the volume
    then looks shorter than it is); a catalog entry the classifier reads as another kind.
    Evidence given as a folder of separate scans, not a bound volume, may have no catalog
    (batch-format.md: "a folder of scans"): that is not reported.

    Profile settings used: file_name_kinds, file_name_families (what a catalog entry names).
    """
    p = ctx.profile
    bad = ctx.unreadable_paths()
    for n in ctx.nominees:
        by_file: dict[str, list[EvidenceItem]] = {}
        for it in n.evidence:
            by_file.setdefault(it.file, []).append(it)
        recs = {f.path: f for f in n.files}
        cats = [it for it in n.evidence if it.kind == "catalog"]
        for path, its in by_file.items():
            f = recs.get(path)
            if f is None or path in bad:
                continue
            docs = [it for it in its if it.kind not in ("catalog",) and not _is_blank(it)]
            volume = path.lower().endswith(".pdf") and len(docs) >= 2 and f.material == "evidence"
            here = [it for it in its if it.kind == "catalog"]
            if volume and not here:
                if cats:
                    continue            # a separate catalog file: its pages cannot be matched to this volume
                yield Finding(
                    code="M02", severity=Severity.LOW, unit=n.unit, nominee=n.name,
                    message=f"“{n.name}”的证明材料“{name_of(path)}”（{len(docs)} 份材料）没有材料目录。请推荐单位补充材料目录。",
                    found={"documents": len(docs)}, key=f"nocatalog:{path}", evidence=[file_span(f, 1)])
                continue
            for cat in here:
                entries = [e for e in (cat.value("items") or []) if isinstance(e, dict)]
                if not entries:
                    continue            # a catalog that could not be read: nothing to compare
                if volume:
                    yield from _volume_vs_catalog(n, f, its, cat, entries, p)
                elif len(its) == 1:
                    yield from _folder_vs_catalog(n, f, cat, entries, bad)


def _volume_vs_catalog(n, f, its, cat, entries, p) -> Iterator[Finding]:
    total, exact = _page_count(f, its)
    docs = [it for it in its if it is not cat and it.kind != "catalog"]
    missing, listed = [], set()
    for k, e in enumerate(entries):
        first, last = e.get("first"), e.get("last") or e.get("first")
        if not isinstance(first, int):
            # a page number OCR could not read: the entry covers the pages between its
            # neighbours' (it is not evidence of a page left out of the catalog)
            before = next((x.get("last") or x.get("first") for x in reversed(entries[:k])
                           if isinstance(x.get("first"), int)), 1)
            after = next((x.get("first") for x in entries[k + 1:] if isinstance(x.get("first"), int)), total + 1)
            if isinstance(before, int) and isinstance(after, int) and after - before > 1:
                listed.update(range(before + 1, after))
            continue
        last = last if isinstance(last, int) and last >= first else first
        if last > total:
            missing.append(f"{_entry_label(e)}超出材料页数（共 {total} 页）")
            listed.update(range(first, total + 1))
            continue
        listed.update(range(first, last + 1))
        on = [it for it in docs if set(it.pages) & set(range(first, last + 1))]
        named = kinds_named(str(e.get("title") or ""), p)
        kinds = {it.kind for it in on if it.kind not in NOT_CONTENT and not _is_blank(it)}
        if named and kinds and not (kinds & named):
            missing.append(f"{_entry_label(e)}所在页为{'、'.join(KIND_ZH.get(k, k) for k in sorted(kinds))}")
        elif named and not on and not (named & PAPER):
            missing.append(f"{_entry_label(e)}所在页未找到材料")
    unlisted = sorted({it.pages[0] for it in docs if it.pages and it.kind not in NOT_CONTENT
                       and not _is_blank(it) and not set(it.pages) & listed})
    if not missing and not unlisted:
        return
    parts = []
    if missing:
        parts.append("目录所列材料在册中未找到：" + "；".join(missing))
    if unlisted:
        parts.append("以下页的材料未列入目录：第" + "、".join(map(str, unlisted)) + "页")
    yield Finding(
        code="M02", severity=Severity.LOW, unit=n.unit, nominee=n.name,
        message=f"“{n.name}”的证明材料“{name_of(f.path)}”目录与内容不符。{'。'.join(parts)}。请推荐单位核对目录。",
        declared=len(entries), found={"not_in_volume": missing, "unlisted_pages": unlisted,
                                      "pages": total, "page_count_known": exact},
        key=f"catalog:{f.path}",
        evidence=(cat.fields["items"].spans if cat.fields.get("items") else []) or [file_span(f, cat.pages[0] if cat.pages else None)])


def _folder_vs_catalog(n, f, cat, entries, bad) -> Iterator[Finding]:
    folder = f.path.rsplit("/", 1)[0]
    scans = [g for g in n.files if g.path != f.path and g.path.rsplit("/", 1)[0] == folder
             and g.material == "evidence" and g.path not in bad]
    if len(scans) == len(entries) or not scans:
        return
    more = len(entries) > len(scans)
    msg = (f"目录列出 {len(entries)} 项，文件夹中只有 {len(scans)} 份材料，部分所列材料未提交" if more
           else f"文件夹中有 {len(scans)} 份材料，目录只列出 {len(entries)} 项，部分材料未列入目录")
    yield Finding(
        code="M02", severity=Severity.LOW, unit=n.unit, nominee=n.name,
        message=f"“{n.name}”的材料目录“{name_of(f.path)}”与文件夹内容不符：{msg}。请推荐单位核对目录。",
        declared=len(entries), found={"files": len(scans)}, key=f"catalog:{f.path}",
        evidence=(cat.fields["items"].spans if cat.fields.get("items") else []) or [file_span(f, 1)])
