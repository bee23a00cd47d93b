"""Build a small AuditContext from a YAML case (tests/rules/cases/<CODE>.yml).

A case describes only what its rule needs:

    batch:
      profile: {publicity_min_days: 7}          # overrides of the built-in profile
      receipts: {祥符区总工会: 2021-06-15}
      units:
        - name: 祥符区总工会
          files: [推荐报告.pdf, 公示.jpg, 汇总表.xlsx, 汇总表.pdf]   # role from the name
          publicity: [[2021-05-20, 2021-05-26]]
          report_date: 2021-06-01
          summary: {source: xlsx, rows: [{seq: 1, name: 张三, patents.invention: 2}]}
          nominees:
            - name: 张三
              files: [审批表.docx, 事迹材料.docx, 工作照.jpg, 证件照.jpg, 汇报.pptx, 证明材料.pdf]
              form: {fields: {id_number: "..."}, counts: {...}, per_year: {benefit.created: {2019: "12.5"}}}
              evidence: [{kind: patent_certificate, fields: {number: {value: "...", raw: "ZL..."}}}]
              # X02: page_phashes: [[phash, dhash]], page_lines: [[[text, [x0, y0, x1, y1]], …]] per page
              deeds: "text"
      read_issues: [{path: x.pdf, reason: encrypted, message: 已加密, unit: 祥符区总工会}]
"""
from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from audit.intake import role_hint
from audit.model import (AuditContext, DeclaredForm, EvidenceItem, Fact, FileRecord, Nominee, ReadIssue, SealInfo,
                         Span, SummaryRow, SummaryTable, Unit)
from audit.profile import Profile, _merge, load_profile

DECIMAL_PREFIXES = ("benefit.",)
DECIMAL_KEYS = {"created", "saved", "created_capitals", "saved_capitals"}


def _fact(value: Any, file: str, key: str) -> Fact:
    if isinstance(value, dict) and "value" in value:
        conf = value.get("confidence")
        raw = value.get("raw", "")
        value = value["value"]
    else:
        conf, raw = None, ""
    if isinstance(value, (float, str)) and (key.startswith(DECIMAL_PREFIXES) or key in DECIMAL_KEYS) and value != "":
        value = Decimal(str(value))
    if value == "":
        value = None
    return Fact(value=value, raw=raw or ("" if value is None else str(value)), confidence=conf,
                spans=[Span(file=file, page=1, box=(0, 0, 1, 1), text=str(value), confidence=conf,
                            sha256=hashlib.sha256(file.encode()).hexdigest())])


def _file(path: str, unit: str, nominee: str | None) -> FileRecord:
    name = path.rsplit("/", 1)[-1]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    rec = FileRecord(path=path, sha256=hashlib.sha256(path.encode()).hexdigest(), size=1,
                     local=path, unit=unit, nominee=nominee)
    rec.role = role_hint(name, suffix, tuple(path.split("/")[2 if nominee else 1:-1]))
    if rec.role == "unknown":
        rec.role = "evidence" if nominee else "other"
    return rec


def build_form(spec: dict, file: str) -> DeclaredForm:
    form = DeclaredForm(file=file, source=spec.get("source", "docx"))
    for k, v in (spec.get("fields") or {}).items():
        form.fields[k] = _fact(v, file, k)
    for k, v in (spec.get("counts") or {}).items():
        form.counts[k] = _fact(v, file, k)
    for k, years in (spec.get("per_year") or {}).items():
        form.per_year[k] = {int(y): _fact(v, file, k) for y, v in years.items()}
    form.opinions = [dict(o) for o in spec.get("opinions") or []]
    return form


def build_context(batch: dict) -> AuditContext:
    base = load_profile()
    data = _merge(base.data, batch.get("profile") or {})
    profile = Profile(id=data["id"], name=data["name"], years=[int(y) for y in data["years"]],
                      deadline=data["deadline"] if isinstance(data["deadline"], dt.date)
                      else dt.date.fromisoformat(str(data["deadline"])), data=data)
    ctx = AuditContext(profile=profile)
    for u in batch.get("units") or []:
        unit = Unit(name=u["name"], folder=u["name"])
        unit.files = [_file(f"{unit.name}/{p}", unit.name, None) for p in u.get("files", [])]
        for start, end in u.get("publicity") or []:
            f = f"{unit.name}/公示.jpg"
            unit.publicity.append({"start": _fact(start, f, "start"), "end": _fact(end, f, "end")})
        if u.get("report_date"):
            unit.report_date = _fact(u["report_date"], f"{unit.name}/推荐报告.pdf", "date")
        if u.get("summary"):
            s = u["summary"]
            sfile = f"{unit.name}/汇总表.{s.get('source', 'xlsx') if s.get('source') != 'ocr' else 'pdf'}"
            table = SummaryTable(file=sfile, source=s.get("source", "xlsx"))
            for i, row in enumerate(s.get("rows") or [], 1):
                table.rows.append(SummaryRow(file=sfile, row=i, values={k: _fact(v, sfile, k) for k, v in row.items()}))
            unit.summaries.append(table)
        for n in u.get("nominees") or []:
            folder = f"{unit.name}/{n.get('folder', n['name'])}"
            nom = Nominee(unit=unit.name, name=n["name"], folder=folder)
            nom.files = []
            for spec in n.get("files", []):
                spec = spec if isinstance(spec, dict) else {"path": spec}
                rec = _file(f"{folder}/{spec['path']}", unit.name, folder)
                rec.kind = spec.get("kind")
                if spec.get("role"):
                    rec.role = spec["role"]
                if spec.get("metadata"):       # file-level facts for forensics (F01)
                    rec.metadata = dict(spec["metadata"])
                nom.files.append(rec)
            if n.get("form") is not None:
                nom.form = build_form(n["form"], f"{folder}/审批表.docx")
                nom.forms = [nom.form]
            for i, ev in enumerate(n.get("evidence") or [], 1):
                efile = f"{folder}/{ev.get('file', '证明材料.pdf')}"
                pages = [int(x) for x in ev.get("pages", [i])]
                # sha256: the file's bytes (same value = byte-identical files); default from the path
                esha = ev.get("sha256") or hashlib.sha256(efile.encode()).hexdigest()
                item = EvidenceItem(id=f"e{i}:p{pages[0]}", kind=ev["kind"], file=efile,
                                    sha256=esha, pages=pages,
                                    unit=unit.name, nominee=folder, text=ev.get("text", ""),
                                    confidence=float(ev.get("confidence", 1.0)))
                # page_hashes: one pixel hash per page of ``pages`` (null for a page not rendered)
                item.page_hashes = [(efile, pg, h) for pg, h in zip(pages, ev.get("page_hashes") or []) if h]
                # page_phashes: one [phash, dhash] (hex; a single string is both) per page of ``pages``;
                # page_lines: one list of [text, [x0, y0, x1, y1]] per page (boxes relative to the ink area)
                for pg, ph in zip(pages, ev.get("page_phashes") or []):
                    if ph:
                        ph = [ph, ph] if isinstance(ph, str) else list(ph)
                        item.page_phashes.append((efile, pg, str(ph[0]), str(ph[1])))
                for pg, lines in zip(pages, ev.get("page_lines") or []):
                    item.page_lines.append((efile, pg, [(str(t), tuple(float(v) for v in b)) for t, b in lines or []]))
                for k, v in (ev.get("fields") or {}).items():
                    item.fields[k] = _fact(v, efile, k)
                for sd in ev.get("seals") or []:
                    item.seals.append(SealInfo(file=efile, page=pages[0], box=tuple(sd.get("box", (0, 0, 100, 100))),
                                               kind=sd.get("kind", "unknown"), ring_text=sd.get("ring_text", ""),
                                               center_text=sd.get("center_text", ""),
                                               confidence=float(sd.get("confidence", 0.9)),
                                               ink_sha256=sd.get("ink_sha256", ""), sha256=esha))
                nom.evidence.append(item)
            if n.get("deeds") is not None:
                nom.deeds_text = _fact(n["deeds"], f"{folder}/事迹材料.docx", "deeds")
            unit.nominees.append(nom)
        ctx.units.append(unit)
        ctx.files.extend(unit.files + [f for nm in unit.nominees for f in nm.files])
    for name, d in (batch.get("receipts") or {}).items():
        ctx.receipts[name] = _fact(d, "收件登记.xlsx", "received")
    for ri in batch.get("read_issues") or []:
        ctx.read_issues.append(ReadIssue(**ri))
    for u in ctx.units:
        for nom in u.nominees:
            from rules.process import summary_row
            nom.summary = summary_row(u, nom)
    return ctx
