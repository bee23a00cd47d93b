"""The audit's data model: files, units, nominees, declared figures, findings.

Every value read from a document is a :class:`Fact` that keeps the :class:`Span` s it was
read from (file, page, box, text, confidence), so a rule can cite its evidence without
reopening a file.
"""
from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Optional

Box = tuple[float, float, float, float]

# what each kind of document (EvidenceItem.kind, and the papers of attachment 3) is called in
# the messages and reports
KIND_ZH = {
    "patent_certificate": "专利证书", "skill_certificate": "职业技能证书", "honor_certificate": "荣誉证书",
    "competition_award": "竞赛获奖证书", "innovation_award": "创新成果奖证书", "benefit_statement": "经济效益证明",
    "apprentice_agreement": "师带徒协议", "training_list": "培养人才名单", "media_clipping": "媒体报道",
    "standard_doc": "标准/工作法", "catalog": "证明材料目录", "approval_form": "推荐审批表",
    "summary_table": "汇总表", "publicity_notice": "公示材料", "recommendation_report": "推荐报告",
    "deeds": "事迹材料", "photo": "照片", "unclassified": "未能归类的页面",
}


class Severity(str, enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return {"high": "严重", "medium": "警告", "low": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"high": 3, "medium": 2, "low": 1}[self.value]

    def lowered(self) -> "Severity":
        """One step less severe (low stays low): a finding that rests on a doubtful reading."""
        return {"high": Severity.MEDIUM, "medium": Severity.LOW}.get(self.value, Severity.LOW)


@dataclass(frozen=True)
class Span:
    """Where a piece of text was read: file (batch-relative), 1-based page, box, text."""
    file: str
    page: Optional[int] = None
    box: Optional[Box] = None
    text: str = ""
    confidence: Optional[float] = None
    sha256: Optional[str] = None  # the file's hash, for fingerprints

    def to_evidence(self) -> dict:
        d: dict[str, Any] = {"file": self.file}
        if self.page is not None:
            d["page"] = int(self.page)
        if self.box is not None:
            d["bbox"] = [round(float(v), 1) for v in self.box]
        if self.text:
            d["text"] = self.text
        return d


@dataclass
class Fact:
    """A value read from a document, with where it was read.

    ``value`` is normalised (str, int, Decimal, date); ``raw`` is the text as written.
    ``value is None`` with a non-empty raw means the text was there but could not be read
    as the expected type (rules D08 and friends report it)."""
    value: Any
    raw: str = ""
    spans: list[Span] = field(default_factory=list)
    confidence: Optional[float] = None

    @property
    def empty(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())

    def to_json(self) -> Any:
        return jsonable(self.value)


def jsonable(v: Any) -> Any:
    """Turn model values into JSON values (Decimal → number string kept exact as str)."""
    if isinstance(v, Fact):
        return jsonable(v.value)
    if isinstance(v, Decimal):
        # whole numbers as int, others as float (amounts carry at most 4-6 decimals)
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, enum.Enum):
        return v.value
    return v


@dataclass
class DeclaredForm:
    """The approval form (attachment 1) as read, field by field.

    Keys (see ``audit/labels.yaml``):
      fields:    name, gender, ethnicity, birth (date, day=1 when only year-month), politics,
                 education, skill_level, title, specialty, position, honors, id_number,
                 phone, employer, unit, resume, awards_text, achievements
      counts:    projects, conversions, patents.invention, patents.utility_design,
                 awards.national, awards.provincial, awards.prefecture, awards.enterprise,
                 promoted.senior_worker (高级工), promoted.technician (技师),
                 promoted.senior_technician (高级技师), promoted.other (其他)
      per_year:  benefit.created, benefit.saved (Decimal 万元), standards, methods,
                 apprentices, training  → {year: Fact}
      opinions:  the opinion boxes found on a scanned form (audit.forms.read_opinions), one dict
                 each: {"box": unit_union|unit_hr|county_union|county_hr|city_union|city_hr|other,
                 "label": text as read, "seal": bool, "seals": [SealInfo], "span": Span of the
                 label, "confidence": the label's OCR confidence}; empty for docx/xlsx forms
    """
    file: str
    fields: dict[str, Fact] = field(default_factory=dict)
    counts: dict[str, Fact] = field(default_factory=dict)
    per_year: dict[str, dict[int, Fact]] = field(default_factory=dict)
    opinions: list[dict] = field(default_factory=list)
    source: str = ""  # docx|xlsx|ocr|text-layer

    def value(self, key: str) -> Any:
        f = self.fields.get(key) or self.counts.get(key)
        return None if f is None else f.value


@dataclass
class SummaryRow:
    """One nominee's row of the summary table (attachment 2).

    Keys of ``values``: seq, name, employer_position, level_title, category (类别, optional),
    competition.{enterprise,prefecture,provincial,national},
    innovation.{enterprise,prefecture,provincial,national},
    patents.{invention,utility,design}, standards.{enterprise,prefecture,provincial,national},
    benefit.<year> (Decimal 万元), apprentices.<year>, media.{prefecture,provincial,national},
    remark.
    """
    file: str
    row: int
    values: dict[str, Fact] = field(default_factory=dict)

    def value(self, key: str) -> Any:
        f = self.values.get(key)
        return None if f is None else f.value


@dataclass
class SummaryTable:
    file: str
    unit_name: Optional[Fact] = None    # 推荐单位 as written on the table
    date: Optional[Fact] = None          # 填表日期
    rows: list[SummaryRow] = field(default_factory=list)
    source: str = ""                     # xlsx|ocr|text-layer
    problems: list[str] = field(default_factory=list)
    seals: list["SealInfo"] = field(default_factory=list)   # seals on a scanned table (for M01)


@dataclass
class SealInfo:
    """A red seal impression found on a page (pixel coordinates of the rendered page)."""
    file: str
    page: int
    box: Box
    kind: str = "unknown"          # finance (财务专用章) | official (公章) | contract | other | unknown
    ring_text: str = ""            # text read along the ring ("开封空分集团有限公司")
    center_text: str = ""          # text across the centre ("财务专用章")
    confidence: float = 0.0
    ink_sha256: str = ""           # hash of the ink pixels of the crop (F03: pixel-identical seals)
    sha256: Optional[str] = None   # the file's hash

    @classmethod
    def from_page(cls, d: dict, *, file: str, page: int, sha256: Optional[str] = None) -> "SealInfo":
        """A seal as ``extractors.base.Page.seals`` records it (a JSON dict) on ``file``'s ``page``."""
        box = d.get("box") or (0.0, 0.0, 0.0, 0.0)
        return cls(file=file, page=int(page), box=tuple(float(v) for v in box),
                   kind=str(d.get("kind") or "unknown"), ring_text=str(d.get("ring_text") or ""),
                   center_text=str(d.get("center_text") or ""), confidence=float(d.get("confidence") or 0.0),
                   ink_sha256=str(d.get("ink_sha256") or ""), sha256=sha256)

    @property
    def center(self) -> tuple[float, float]:
        return ((self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2)

    def span(self) -> Span:
        return Span(file=self.file, page=self.page, box=self.box,
                    text=f"印章：{self.ring_text}{('·' + self.center_text) if self.center_text else ''}",
                    confidence=self.confidence, sha256=self.sha256)


@dataclass
class EvidenceItem:
    """One document found in the evidence (a page or a run of pages), with its facts.

    ``kind`` is one of the kinds of ``audit/evidence_kinds.yaml`` (patent_certificate,
    skill_certificate, honor_certificate, competition_award, innovation_award,
    benefit_statement, apprentice_agreement, training_list, standard_doc, media_clipping,
    catalog, approval_form, summary_table, publicity_notice, recommendation_report, photo,
    unclassified). ``fields`` keys depend on the kind (see that file)."""
    id: str                        # f"{sha256[:12]}:p{first page}"
    kind: str
    file: str
    sha256: str
    pages: list[int] = field(default_factory=list)
    fields: dict[str, Fact] = field(default_factory=dict)
    seals: list[SealInfo] = field(default_factory=list)
    text: str = ""
    confidence: float = 1.0        # how sure the classification is
    unit: Optional[str] = None
    nominee: Optional[str] = None  # nominee key (folder)
    # a document spread over several files: [{file, sha256, pages}] in reading order (the
    # first is ``file``/``pages``); empty for a document within one file
    parts: list[dict] = field(default_factory=list)
    source: str = ""               # how its pages were read: ocr (a scan: seals were looked for) |
                                   # text-layer | office; "" unknown (then the file's extension decides)
    # the pixel hashes of its rendered pages (extractors.base.Page.image_sha256), one
    # (file, page, sha256) per page of every part that was rendered and has text (blank pages,
    # which all look alike, are left out); the evidence graph's "page" keys (X01, X08)
    page_hashes: list[tuple[str, int, str]] = field(default_factory=list)
    # the perceptual hashes of the same pages (extractors.base.Page.phash/dhash: 64 hex digits
    # each, of the ink area), one (file, page, phash, dhash) per rendered page with text, and
    # their text lines as (file, page, [(text, box)]) with each box relative to the page's ink
    # area (x0, y0, x1, y1 as fractions of its width and height, so a shifted or rescaled
    # re-scan gives the same boxes): X02 (near-duplicate page images across nominees)
    page_phashes: list[tuple[str, int, str, str]] = field(default_factory=list)
    page_lines: list[tuple[str, int, list]] = field(default_factory=list)

    def value(self, key: str) -> Any:
        f = self.fields.get(key)
        return None if f is None else f.value


@dataclass
class FileRecord:
    """One file of the batch (zip members included), as intake saw it."""
    path: str                  # batch-relative; zip members 'x.zip!/a/b.pdf'
    sha256: str
    size: int
    local: str                 # where to read the bytes (the batch itself, or a temp extraction)
    unit: Optional[str] = None
    nominee: Optional[str] = None  # nominee folder key (unit/nominee)
    role: str = "unknown"      # report|publicity|summary|form|deeds|ppt|photo|evidence|receipt|profile|other
    kind: Optional[str] = None     # what the content says it is (filled by classification)
    # file-level facts for forensics (F01), from the extraction (extractors.pdf.pdf_metadata):
    # media, producer, creator, creation_date(_iso), mod_date(_iso), incremental_updates,
    # scan_pages (pages read by OCR), text_overlay ([{page, cover, lines, text}]: a text layer
    # of a few lines on a page an image covers)
    metadata: dict = field(default_factory=dict)

    @property
    def material(self) -> str:
        """What the file counts as: its content's kind when classification decided, else its name's hint."""
        return self.kind or self.role


@dataclass
class Nominee:
    unit: str
    name: str
    folder: str                        # batch-relative folder (or zip path)
    priority: Optional[int] = None     # from the folder name '01-张三'
    files: list[FileRecord] = field(default_factory=list)
    form: Optional[DeclaredForm] = None
    forms: list[DeclaredForm] = field(default_factory=list)  # all forms read (docx, scan, ...)
    summary: Optional[SummaryRow] = None
    deeds_text: Optional[Fact] = None
    evidence: list[EvidenceItem] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Stable identity within a batch: the unit folder and the nominee's own folder."""
        return self.folder


@dataclass
class Unit:
    name: str
    folder: str
    files: list[FileRecord] = field(default_factory=list)   # the unit's own files
    nominees: list[Nominee] = field(default_factory=list)
    summaries: list[SummaryTable] = field(default_factory=list)
    publicity: list[dict] = field(default_factory=list)     # {"start": Fact, "end": Fact, "file": ...}
    report_date: Optional[Fact] = None
    received: Optional[Fact] = None                         # from the receipt log


@dataclass
class Finding:
    """One flag. ``fingerprint`` is stable across runs on the same evidence."""
    code: str
    severity: Severity
    unit: Optional[str]
    message: str
    nominee: Optional[str] = None
    nominees: list[str] = field(default_factory=list)
    declared: Any = None
    found: Any = None
    evidence: list[Span] = field(default_factory=list)
    confidence: Optional[float] = None
    key: str = ""   # extra identity for the fingerprint (e.g. the field or year concerned)
    waived: Optional[dict] = None
    id: str = ""
    # second readings of the doubtful spot by the other OCR engine (audit.second_reading)
    rereads: list[dict] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        ident = sorted({(s.sha256 or s.file, s.page or 0) for s in self.evidence})
        payload = json.dumps([self.code, self.unit, self.nominee, sorted(self.nominees),
                              self.key, ident], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]

    def to_dict(self) -> dict:
        d: dict[str, Any] = {
            "id": self.id,
            "fingerprint": self.fingerprint,
            "code": self.code,
            "severity": Severity(self.severity).value,
            "unit": self.unit,
            "nominee": self.nominee,
            "message": self.message,
            "evidence": [s.to_evidence() for s in self.evidence],
        }
        if self.nominees:
            d["nominees"] = list(self.nominees)
        if self.declared is not None:
            d["declared"] = jsonable(self.declared)
        if self.found is not None:
            d["found"] = jsonable(self.found)
        if self.confidence is not None:
            d["confidence"] = round(float(self.confidence), 3)
        if self.rereads:
            d["second_reading"] = [dict(r) for r in self.rereads]
        d["waived"] = self.waived
        return d


@dataclass
class ReadIssue:
    """A file (or part of one) that could not be read: becomes an M03 finding."""
    path: str
    reason: str
    message: str
    unit: Optional[str] = None
    nominee: Optional[str] = None   # nominee key (folder)
    sha256: Optional[str] = None
    page: Optional[int] = None
    detail: str = ""


@dataclass
class AuditContext:
    """What every rule reads: the batch as understood, and the campaign profile. No I/O."""
    profile: Any                                  # audit.profile.Profile
    units: list[Unit] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)
    root_files: list[FileRecord] = field(default_factory=list)
    read_issues: list[ReadIssue] = field(default_factory=list)
    receipts: dict[str, Fact] = field(default_factory=dict)   # unit name → 收件日期
    receipt_file: Optional[str] = None

    @property
    def nominees(self) -> list[Nominee]:
        return [n for u in self.units for n in u.nominees]

    def unit_of(self, nominee: Nominee) -> Optional[Unit]:
        return next((u for u in self.units if u.name == nominee.unit), None)

    def nominee_name(self, key: Optional[str]) -> Optional[str]:
        """The display name of the nominee whose folder key is ``key``."""
        if key is None:
            return None
        n = next((n for n in self.nominees if n.key == key), None)
        return n.name if n else None

    def unreadable_paths(self) -> set[str]:
        """Files that could not be read at all (mislabelled-but-read ones excluded)."""
        return {i.path for i in self.read_issues if i.reason != "mislabelled" and i.page is None}
