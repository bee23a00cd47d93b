"""F rules: signs that a scan was edited or a seal pasted (§六(四))."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Iterator, Optional

from audit.graph import graph_of
from audit.model import AuditContext, EvidenceItem, FileRecord, Finding, Severity, Span
from rules.common import file_span, name_of
from rules.registry import rule


def _when(v) -> Optional[datetime]:
    if not v:
        return None
    try:
        d = datetime.fromisoformat(str(v).replace("Z", "+00:00"))
    except ValueError:
        return None
    return d.replace(tzinfo=None) if d.tzinfo is None else d


def _delta(a: datetime, b: datetime) -> timedelta:
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return b - a


def _editors(ctx: AuditContext) -> list[re.Pattern]:
    """The editing programs of the profile (forensics.pdf_editors) as whole-word patterns."""
    return [re.compile(r"(?<![a-z0-9])" + re.escape(str(e).strip().lower()) + r"(?![a-z0-9])")
            for e in ctx.profile.get("forensics.pdf_editors", []) or [] if str(e).strip()]


def _every_file(ctx: AuditContext) -> Iterator[FileRecord]:
    """Every file of the batch once: the units' and nominees' files, then the root's."""
    seen: set[str] = set()
    for f in list(ctx.files) + list(ctx.root_files):
        if f.path not in seen:
            seen.add(f.path)
            yield f


@rule("F01", Severity.MEDIUM, title="扫描件PDF有编辑痕迹", clause="§六(四)")
def pdf_edited(ctx: AuditContext) -> Iterator[Finding]:
    """A PDF presented as a scan shows editing.

    What it checks: every PDF with at least one scanned page (read by OCR), or with a text
    layer of a few lines laid over a page an image covers: its Producer/Creator naming an
    image or PDF editor (``forensics.pdf_editors``), a modification date more than
    ``forensics.pdf_mod_grace_hours`` after the creation date, incremental updates (saves
    appended after the first), and such text overlays. An editor, a later modification or
    an overlay is medium; incremental updates alone are low (signing or form filling also
    append them).

    Why: §六(四) — a scan re-saved by Photoshop, or with text typed over it, may have had
    its name, date or amount changed.

    Example finding: “张三”的 荣誉证书.pdf 为扫描件，但由 Adobe Photoshop CC 2019 生成；修改时间 2021-05-27 晚于创建时间 2021-05-20。请要求提供原件核对。

    Known false positives: a scan cleaned up (deskewed, cropped) in an editor without any
    change of content; a scanner driver that names an editor as producer.

    Profile settings used: forensics.pdf_editors, forensics.pdf_mod_grace_hours.
    """
    editors = _editors(ctx)
    grace = timedelta(hours=float(ctx.profile.get("forensics.pdf_mod_grace_hours", 24)))
    for f in _every_file(ctx):
        md = f.metadata or {}
        if md.get("media") != "pdf":
            continue
        overlay = md.get("text_overlay") or []
        if not md.get("scan_pages") and not overlay:
            continue
        signs, strong = [], False
        shown = next((md.get(k) for k in ("producer", "creator")
                      if md.get(k) and any(e.search(str(md[k]).lower()) for e in editors)), None)
        if shown:
            signs.append(f"由图像/PDF编辑软件“{shown}”生成或保存")
            strong = True
        c, m = _when(md.get("creation_date_iso")), _when(md.get("mod_date_iso"))
        if c is not None and m is not None and _delta(c, m) > grace:
            signs.append(f"修改时间 {m.date().isoformat()} 晚于创建时间 {c.date().isoformat()}")
            strong = True
        inc = int(md.get("incremental_updates") or 0)
        if inc > 0:
            signs.append(f"文件在创建后被追加保存 {inc} 次（增量更新）")
        for o in overlay:
            signs.append(f"第{o['page']}页整页为图像，其上叠加了 {o['lines']} 行文字（“{o.get('text', '')}”）")
            strong = True
        if not signs:
            continue
        nominee = ctx.nominee_name(f.nominee)
        who = f"“{nominee}”的" if nominee else ""
        ev: list[Span] = [file_span(f, text="；".join(signs)[:60])]
        ev += [file_span(f, page=int(o["page"]), text=o.get("text", "")) for o in overlay]
        yield Finding(
            code="F01", severity=Severity.MEDIUM if strong else Severity.LOW, unit=f.unit, nominee=nominee,
            message=(f"{who}{name_of(f.path)} 为扫描件，但{'；'.join(signs)}，疑似经过编辑。"
                     "请要求提供原件核对姓名、日期、金额等内容。"),
            found={k: md[k] for k in ("producer", "creator", "creation_date_iso", "mod_date_iso",
                                      "incremental_updates") if k in md},
            key=f.path, evidence=ev)


EXIF_DATE_RE = re.compile(r"^\s*(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})")
DOC_DATE_KEYS = ("date", "sign_date", "granted")


def _exif_date(v) -> Optional[date]:
    m = EXIF_DATE_RE.match(str(v or ""))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _items_by_file(ctx: AuditContext) -> dict[str, list[EvidenceItem]]:
    out: dict[str, list[EvidenceItem]] = {}
    for n in ctx.nominees:
        for it in n.evidence:
            for p in it.parts or [{"file": it.file}]:
                out.setdefault(p["file"], []).append(it)
    return out


@rule("F02", Severity.LOW, title="图片元数据显示经过编辑", clause="§六(四)")
def image_edited(ctx: AuditContext) -> Iterator[Finding]:
    """An image's metadata shows editing software, or a creation date before the document's own.

    What it checks: the EXIF fields (and PNG text chunks) of every image file: a Software
    naming an image editor (``forensics.pdf_editors``: Photoshop, 美图秀秀, GIMP, Snapseed,
    醒图 …; a Latin name must stand as a word), and a DateTimeOriginal (else DateTime) more
    than ``forensics.image_date_grace_days`` before the date printed on the document the
    image shows (the evidence item's date, else its signing or grant date): a photograph or
    scan cannot be made before the document it shows was dated (a document date after the
    submission deadline is taken as misread and not used). A phone's or scanner's own
    software name is no sign. Where the document date was read with low OCR confidence
    (< 0.85) the message says so.

    Why: §六(四) — an image opened and saved again in an editor, or one whose printed date is
    later than the moment it was taken, may have had its name, date or amount changed.

    Example finding: “张三”的 荣誉证书.jpg 图片元数据（EXIF）显示由图像编辑软件“Adobe Photoshop CC 2019 (Windows)”保存，疑似经过编辑。请要求提供原件核对。

    The spec row says "creation date after the document's own date"; read literally that is
    every genuine scan (made after the document it shows), so the check follows what the row
    is for: the image and the document's date disagree in the direction that cannot happen.

    Known false positives: a scan cropped or straightened in an editor without any change of
    content; a camera whose clock was set wrong (its date says nothing then).

    Profile settings used: forensics.pdf_editors, forensics.image_date_grace_days.
    """
    editors = _editors(ctx)
    grace = timedelta(days=float(ctx.profile.get("forensics.image_date_grace_days", 1)))
    by_file = _items_by_file(ctx)
    for f in _every_file(ctx):
        md = f.metadata or {}
        ex = md.get("exif") or {}
        txt = md.get("text") or {}
        if not ex and not txt:
            continue
        signs: list[str] = []
        found: dict = {}
        low: Optional[float] = None
        ev: list[Span] = []
        soft = next((str(v) for v in (ex.get("software"), txt.get("Software"), txt.get("software"))
                     if v and any(e.search(str(v).lower()) for e in editors)), None)
        if soft:
            signs.append(f"由图像编辑软件“{soft}”保存")
            found["software"] = soft
        taken_raw = ex.get("datetime_original") or ex.get("datetime")
        taken = _exif_date(taken_raw)
        if taken is not None:
            for it in by_file.get(f.path, []):
                key = next((k for k in DOC_DATE_KEYS if isinstance(it.value(k), date)), None)
                if key is None:
                    continue
                d = it.value(key)
                d = d.date() if isinstance(d, datetime) else d
                if d > ctx.profile.deadline:     # a misread year: other rules speak of impossible dates
                    continue
                if taken + grace < d:
                    signs.append(f"拍摄/生成时间 {taken.isoformat()} 早于文件落款日期 {d.isoformat()}，不可能先拍后有文件")
                    found.update({"taken": str(taken_raw), "document_date": d.isoformat()})
                    fa = it.fields[key]
                    ev.extend(fa.spans)
                    if fa.confidence is not None and fa.confidence < 0.85:
                        low = fa.confidence
                    break
        if not signs:
            continue
        nominee = ctx.nominee_name(f.nominee)
        who = f"“{nominee}”的 " if nominee else ""
        msg = (f"{who}{name_of(f.path)} 图片元数据（EXIF）显示{'；'.join(signs)}，疑似经过编辑。"
               "请要求提供原件核对姓名、日期、金额等内容。")
        if low is not None and not soft:
            msg += f"（落款日期识别置信度较低 {low:.2f}，请核对原件。）"
        yield Finding(
            code="F02", severity=Severity.LOW, unit=f.unit, nominee=nominee, message=msg,
            found=found, confidence=low, key=f.path,
            evidence=[file_span(f, text="；".join(signs)[:60])] + ev)


@rule("F03", Severity.HIGH, title="不同文件上的印章像素完全相同", clause="§六(四)")
def pasted_seal(ctx: AuditContext) -> Iterator[Finding]:
    """Pixel-identical seal impressions on different documents.

    What it checks: the ink hashes of the seal impressions found on the evidence
    (``SealInfo.ink_sha256``, the graph's seal key): the same hash on two or more different
    documents (pages whose own pixels differ; the same page reused is X01/X08) is one
    finding naming every nominee, file and page.

    Why: §六(四) — real stamping never prints the same pixels twice: identical impressions
    mean a seal image pasted digitally.

    Example finding: 财务专用章“开封空分集团有限公司”的印章图像在 3 份不同文件上像素完全相同：张三：效益证明1.png第1页、效益证明2.png第1页、效益证明3.png第1页。

    Known false positives: electronic documents with a legitimate electronic seal (an
    e-invoice, a digitally signed certificate) — their seals are identical by design.

    Profile settings used: none.
    """
    gr = graph_of(ctx)
    for g in gr.shared(("seal",), min_nominees=1):
        inks = {v for k, v in g.keys}
        docs: dict = {}
        seals = []
        for nk, it in g.items:
            hashes = {(f, p): h for f, p, h in it.page_hashes}
            for s in it.seals:
                if s.ink_sha256 not in inks:
                    continue
                ident = hashes.get((s.file, s.page)) or (s.sha256 or s.file, s.page)
                docs.setdefault(ident, (nk, s))
                seals.append((nk, s))
        if len(docs) < 2:
            continue
        ns = [gr.name(k) for k in g.nominees]
        places: dict[str, list[str]] = {}
        for nk, s in docs.values():
            w = f"{name_of(s.file)}第{s.page}页"
            lst = places.setdefault(nk, [])
            if w not in lst:
                lst.append(w)
        listing = "；".join(f"{gr.name(nk)}：{'、'.join(ws)}" for nk, ws in places.items())
        first = seals[0][1]
        label = f"{first.center_text or '印章'}“{first.ring_text}”" if first.ring_text else (first.center_text or "印章")
        units = {n.unit for n in ctx.nominees if n.key in g.nominees}
        yield Finding(
            code="F03", severity=Severity.HIGH, unit=units.pop() if len(units) == 1 else None,
            nominee=ns[0] if len(ns) == 1 else None, nominees=ns if len(ns) > 1 else [],
            message=(f"{label}的印章图像在 {len(docs)} 份不同文件上像素完全相同：{listing}。"
                     "真实盖章每次都会有差异，疑似电子粘贴印章，请向出具单位核实原件。"),
            found={"ink_sha256": sorted(inks), "documents": len(docs)},
            key="|".join(sorted(i[:16] for i in inks)), evidence=[s.span() for _nk, s in docs.values()])
