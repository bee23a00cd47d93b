"""M rules: the materials of attachment 3 (what must be in the batch, and what could be read)."""
from __future__ import annotations

from typing import Iterator

from audit.model import AuditContext, Finding, Severity, Span
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
