"""The `dossier` command: a thin layer over the library (options in, calls, exit codes out).

Exit codes: 0 the command ran (whatever the audit found); 2 usage error (no such folder,
OUT inside BATCH, bad profile); 3 OCR engine unavailable; 1 an unexpected error of ours
(run again with --debug and report the traceback).
"""
from __future__ import annotations

import json
import sys
import traceback
from collections import Counter
from pathlib import Path
from typing import Optional

import click

from audit import __version__
from audit.errors import AuditError, EngineError, UsageError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _fail(e: BaseException, debug: bool) -> None:
    if debug:
        traceback.print_exc()
    from extractors.ocr import EngineUnavailable
    if isinstance(e, EngineUnavailable):
        e = EngineError(e.message, e.fix)
    if isinstance(e, AuditError):
        click.secho(f"错误：{e.message}", fg="red", err=True)
        if e.fix:
            click.echo(f"解决办法：{e.fix}", err=True)
        sys.exit(e.exit_code)
    click.secho(f"程序内部错误：{type(e).__name__}: {e}", fg="red", err=True)
    click.echo("请加 --debug 重新运行，并把输出发给开发人员。", err=True)
    sys.exit(1)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="dossier-audit")
def main() -> None:
    """开封工匠推荐材料审核工具（dossier-audit）。

    读取各推荐单位报送的材料文件夹，识别扫描件，逐项核对申报数据与证明材料，
    输出问题清单（findings.json、report.html、findings.xlsx）。

    \b
    示例：
      dossier audit ./2020开封工匠材料 -o ./审核结果
      dossier rules
    """


class _Progress:
    """A rich progress bar on a terminal; silent otherwise (CI, pipes, cron)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.bar = None
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
            from rich.console import Console
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def __call__(self, what: str, n: int, total: Optional[int]) -> None:
        if self.bar is None:
            return
        label = {"files": "读取文件", "pages": "已读页面"}.get(what, what)
        if what not in self.tasks:
            self.tasks[what] = self.bar.add_task(label, total=total)
        self.bar.advance(self.tasks[what], n)


@main.command("audit", context_settings=CONTEXT)
@click.argument("batch", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out", type=click.Path(path_type=Path), required=True,
              help="输出文件夹（不能位于材料文件夹内）。")
@click.option("--profile", type=click.Path(path_type=Path), default=None,
              help="活动配置文件（YAML）。默认用材料文件夹中的 campaign.yaml，否则用内置的 2020 年开封配置。")
@click.option("--ocr", default="rapid", show_default=True,
              help="OCR 引擎：rapid（RapidOCR，默认）或 tesseract。")
@click.option("--jobs", "-j", type=int, default=None, help="并行进程数（默认等于 CPU 核数）。")
@click.option("--no-cache", is_flag=True, help="不使用 OCR 缓存（重新识别所有扫描页）。")
@click.option("--no-mask", is_flag=True, help="输出中不遮挡身份证号、电话号码、住址（文字和截图，仅供内部使用）。")
@click.option("--no-second-reading", is_flag=True,
              help="不用第二个 OCR 引擎复核识别把握不大的关键数字（默认复核）。")
@click.option("--pdf", is_flag=True,
              help="同时生成 report.pdf（A4，可打印；需要 Chromium 浏览器：sudo apt-get install chromium）。")
@click.option("--ledger", "ledger_file", type=click.Path(path_type=Path), default=None,
              help="审核记录文件（默认：用户数据目录下每个活动一个，如 kaifeng-2020.ledger.sqlite）。")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条。")
@click.option("--debug", is_flag=True, help="出错时显示完整的错误信息。")
def audit_cmd(batch: Path, out: Path, profile: Optional[Path], ocr: str, jobs: Optional[int],
              no_cache: bool, no_mask: bool, no_second_reading: bool, pdf: bool, ledger_file: Optional[Path],
              quiet: bool, debug: bool) -> None:
    """审核一个批次的推荐材料，结果写入 OUT 文件夹。

    OUT 中生成 findings.json（机器可读）、report.html（审核报告）和 findings.xlsx（问题清单）；
    加 --pdf 时另生成 report.pdf（其他文件先写好，PDF 生成失败不影响它们）。
    材料文件夹只读，不会被修改。每次审核记入审核记录（--ledger）：已豁免的问题再次出现时
    仍标为已豁免；同一材料文件夹审核过的，报告中列出与上一次相比新增、已解决和仍存在的问题。

    \b
    示例：
      dossier audit ./2020开封工匠材料 -o ./审核结果
      dossier audit ./材料 -o ./结果 --ocr tesseract --jobs 2
      dossier audit ./材料 -o ./结果 --pdf
    """
    try:
        from audit.pipeline import AuditOptions, check_paths, run_audit
        from audit.profile import load_profile
        from reports.writers import write_all
        from rules.registry import all_rules
        from audit.index import INDEX_NAME, write_index
        from audit.ledger import Ledger
        from audit.record import apply_waivers, diff_runs
        check_paths(batch, out)
        prof = load_profile(profile, batch)
        # the ledger first: a file that is not ours or is damaged stops us before the long work
        with Ledger.open(_ledger_path(ledger_file, prof.id)) as ledger:
            with _Progress(not quiet) as progress:
                result = run_audit(batch, prof, AuditOptions(
                    ocr=ocr, jobs=jobs, cache_dir=None if no_cache else "auto", progress=progress, strict=debug,
                    second_reading=not no_second_reading))
            waived = apply_waivers(result.findings, ledger.waiver_map())
            here = str(batch.resolve())
            before = [r for r in ledger.runs() if r.get("batch_path") == here]
            diff = None
            if before:
                now = {"run_id": result.run_id, "generated_at": result.finished,
                       "inputs": [{"path": f.path, "sha256": f.sha256} for f in result.ctx.files],
                       "findings": [f.to_dict() for f in result.findings]}
                diff = diff_runs(ledger.run(before[-1]["run_id"]), now)
            doc = write_all(result, out, masked=not no_mask, rules=[r.to_dict() for r in all_rules()], pdf=pdf,
                            diff=diff)
            # the index `dossier search` and complaint checks read (no OCR again)
            write_index(result, out / INDEX_NAME, masked=not no_mask)
            ledger.record_run({**doc, "batch_path": here, "out": str(out.resolve())})
    except Exception as e:  # noqa: BLE001 - the CLI is where errors become exit codes
        _fail(e, debug)
        return
    _summary(doc, out, pdf)
    if waived:
        click.echo(f"其中 {waived} 项此前已豁免，报告中标为已豁免。")
    if diff is not None:
        click.echo(f"与上次审核（{diff['from']}）相比：新增 {len(diff['new'])} 项，已解决 {len(diff['resolved'])} 项，"
                   f"仍存在 {len(diff['open'])} 项；文件新增 {len(diff['files_added'])}、删除 {len(diff['files_removed'])}、"
                   f"改动 {len(diff['files_changed'])} 个。")


def _summary(doc: dict, out: Path, pdf: bool = False) -> None:
    sev = Counter(f["severity"] for f in doc["findings"])
    st = doc["stats"]
    click.echo(f"审核完成：{len(doc['inputs'])} 个文件，{st['pages']} 页（OCR {st['ocr_pages']} 页），"
               f"用时 {st['seconds']['total']:.1f} 秒。")
    click.echo(f"发现问题 {len(doc['findings'])} 项：严重 {sev['high']}，警告 {sev['medium']}，提示 {sev['low']}。")
    by_unit: dict[str, Counter] = {}
    for f in doc["findings"]:
        by_unit.setdefault(f["unit"] or "（全批次）", Counter())[f["severity"]] += 1
    for unit, c in by_unit.items():
        click.echo(f"  {unit}：严重 {c['high']}，警告 {c['medium']}，提示 {c['low']}")
    if doc["unreadable"]:
        click.echo(f"无法读取的文件 {len(doc['unreadable'])} 个，详见报告。")
    if st.get("rule_errors"):
        click.secho(f"注意：{len(st['rule_errors'])} 条规则执行出错，结果不完整，详见报告。", fg="yellow")
    click.echo(f"报告：{out / 'report.html'}" + (f"；打印版：{out / 'report.pdf'}" if pdf else ""))
    click.echo(f"问题清单：{out / 'findings.xlsx'}；机器可读结果：{out / 'findings.json'}")


@main.command("rules", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def rules_cmd(as_json: bool) -> None:
    """列出本版本实施的审核规则（代码、严重程度、名称、依据条款）。

    \b
    示例：
      dossier rules
      dossier rules --json
    """
    from rules.registry import all_rules
    rs = all_rules()
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in rs], ensure_ascii=False, indent=2))
        return
    for r in rs:
        click.echo(f"{r.code}  {r.severity.label}  {r.title}  （{r.clause}）")


@main.command("extract", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（含每行文字的位置和置信度）。")
@click.option("--ocr", default="rapid", show_default=True, help="OCR 引擎：rapid 或 tesseract。")
@click.option("--debug", is_flag=True, help="出错时显示完整的错误信息。")
def extract_cmd(file: Path, as_json: bool, ocr: str, debug: bool) -> None:
    """显示从单个文件中读出的内容（文字层或 OCR 结果）。

    \b
    示例：
      dossier extract ./材料/张三/证明材料.pdf
      dossier extract 审批表.docx --json
    """
    try:
        if not file.is_file():
            raise UsageError(f"找不到文件：{file}", "请确认路径是否正确。")
        from audit.intake import sha256_file
        from audit.profile import load_profile
        from extractors.dispatch import extract_many
        from extractors.ocr import OcrOptions
        prof = load_profile()
        digest, _ = sha256_file(file)
        ex = extract_many([(str(file), file.name, digest)], limits=prof.get("read_limits", {}),
                          ocr_options=OcrOptions(engine=ocr, dpi=int(prof.get("ocr.dpi", 200))),
                          workers=1, progress=None)[0]
    except Exception as e:  # noqa: BLE001
        _fail(e, debug)
        return
    if as_json:
        click.echo(json.dumps(ex.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"文件：{ex.file}  类型：{ex.media}  页数：{len(ex.pages)}")
    for p in ex.pages:
        how = {"text-layer": "文字层", "ocr": f"OCR（{p.engine}）", "office": "Office 文档"}.get(p.source, p.source)
        click.echo(f"—— 第 {p.page} 页 · {how}{' · 照片（未识别）' if p.is_photo else ''} ——")
        click.echo(p.text)
    for pr in ex.problems:
        click.secho(f"问题：{pr.message}" + (f"（第 {pr.page} 页）" if pr.page else ""), fg="yellow")


@main.command("sample", context_settings=CONTEXT)
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--seed", type=int, default=1, show_default=True, help="随机种子：不同种子生成不同的样例。")
@click.option("--nominees", type=int, default=None, help="人选总数（默认 12-16 名，随种子变化）。")
@click.option("--units", type=int, default=None, help="推荐单位数（默认 4-5 个）。")
@click.option("--debug", is_flag=True, help="出错时显示完整的错误信息。")
def sample_cmd(out: Path, seed: int, nominees: Optional[int], units: Optional[int], debug: bool) -> None:
    """生成一个仿真的样例批次（含预设问题）及其 expected.json。

    在 OUT/batch 下生成材料文件夹，OUT/expected.json 列出每位人选应发现的问题，
    OUT/ocr-truth.json 是扫描页的标准文字（供快速测试使用）。

    \b
    示例：
      dossier sample ./样例 --seed 1
      dossier audit ./样例/batch -o ./样例结果
    """
    try:
        from audit.sample.batch import generate
        import os
        info = generate(out, seed, nominees=nominees, units=units, workers=min(4, os.cpu_count() or 1))
    except Exception as e:  # noqa: BLE001
        _fail(e, debug)
        return
    click.echo(f"已生成样例批次：{out / 'batch'}（{info['units']} 个推荐单位，{info['nominees']} 名人选，"
               f"扫描页 {info['scanned_pages']} 页，预设问题 {info['defects']} 处）")
    click.echo(f"预设问题清单：{out / 'expected.json'}")


# ---------------------------------------------------------------- the record (issue 7)

def _ledger_path(ledger_file: Optional[Path], campaign: Optional[str] = None) -> Path:
    from audit.ledger import default_ledger_path
    if ledger_file is not None:
        return ledger_file
    if campaign is None:
        from audit.profile import load_profile
        campaign = load_profile(None).id
    return default_ledger_path(campaign)


LEDGER_OPT = click.option("--ledger", "ledger_file", type=click.Path(path_type=Path), default=None,
                          help="审核记录文件（默认：用户数据目录下本活动的记录）。")
DEBUG_OPT = click.option("--debug", is_flag=True, help="出错时显示完整的错误信息。")


def _open_ledger(ledger_file: Optional[Path]):
    from audit.ledger import Ledger
    return Ledger.open(_ledger_path(ledger_file), create=False)


@main.group("ledger", context_settings=CONTEXT)
def ledger_group() -> None:
    """审核记录：每次审核、豁免、投诉及其结论，只增不改，逐条以哈希相连。

    \b
    示例：
      dossier ledger verify
      dossier ledger runs
    """


@ledger_group.command("verify", context_settings=CONTEXT)
@LEDGER_OPT
@DEBUG_OPT
def ledger_verify_cmd(ledger_file: Optional[Path], debug: bool) -> None:
    """检查审核记录是否被改动过（逐条核对哈希链）。

    记录完好时退出码为 0；发现改动、删除或调换顺序时指出第一条出问题的记录，退出码为 4。

    \b
    示例：
      dossier ledger verify
      dossier ledger verify --ledger ./kaifeng-2020.ledger.sqlite
    """
    try:
        with _open_ledger(ledger_file) as ledger:
            v = ledger.verify()
    except Exception as e:  # noqa: BLE001
        _fail(e, debug)
        return
    if v.ok:
        click.echo(f"审核记录完好：共 {v.records} 条记录，哈希链连续。")
        if getattr(v, "head", None):
            click.echo(f"最后一条记录的哈希：{v.head}（可另行记下；日后若整段记录被重写，与此值对不上即可发现）")
        return
    b = v.first_broken
    click.secho(f"审核记录已被改动：第 {b.seq} 条记录（{b.kind}）{b.reason}。共 {v.records} 条记录。", fg="red", err=True)
    click.echo("请保留该文件并报告纪检监察组；此后的记录均不可信。", err=True)
    sys.exit(4)


@ledger_group.command("runs", context_settings=CONTEXT)
@LEDGER_OPT
@DEBUG_OPT
def ledger_runs_cmd(ledger_file: Optional[Path], debug: bool) -> None:
    """列出记录中的每次审核（运行编号、时间、材料文件夹、文件数、问题数）。

    \b
    示例：
      dossier ledger runs --ledger ./kaifeng-2020.ledger.sqlite
    """
    try:
        with _open_ledger(ledger_file) as ledger:
            runs = ledger.runs()
    except Exception as e:  # noqa: BLE001
        _fail(e, debug)
        return
    if not runs:
        click.echo("记录中还没有审核。")
    for r in runs:
        click.echo(f"{r['run_id']}  {r['at']}  {r['batch']}  文件 {r['inputs']} 个，问题 {r['findings']} 项")


@main.command("waive", context_settings=CONTEXT)
@click.argument("finding")
@click.option("--reason", required=True, help="豁免（或撤销豁免）的理由（必填）。")
@click.option("--by", "by", required=True, help="决定豁免（或撤销）的人（必填）。")
@click.option("--revoke", is_flag=True, help="撤销该问题现有的豁免（撤销本身也记入审核记录）。")
@LEDGER_OPT
@DEBUG_OPT
def waive_cmd(finding: str, reason: str, by: str, revoke: bool, ledger_file: Optional[Path], debug: bool) -> None:
    """豁免一项问题：问题仍列在报告中，标为已豁免，并注明何人、何时、何故。

    FINDING 是 findings.json 中问题的编号（如 F0012，指最近一次审核中的该项）或指纹。
    以后再审核同一份材料时，该问题仍标为已豁免。加 --revoke 撤销现有的豁免。

    \b
    示例：
      dossier waive F0012 --reason "已核对原件，专利权人为本人所在单位" --by 张三
      dossier waive F0012 --revoke --reason "复查发现原件有涂改" --by 王科长
    """
    try:
        with _open_ledger(ledger_file) as ledger:
            f = ledger.find_finding(finding)
            if f is None:
                raise UsageError(f"审核记录中没有问题“{finding}”",
                                 "请使用 findings.json 或报告中的问题编号（如 F0012）或指纹。")
            w = ledger.waive(f["fingerprint"], by=by, reason=reason, finding_id=f.get("id"), run_id=f.get("run_id"),
                             revoke=revoke)
    except Exception as e:  # noqa: BLE001
        _fail(e, debug)
        return
    click.echo(f"{'已撤销豁免' if revoke else '已豁免'}：{f.get('id')} {f['code']} {f.get('message', '')[:60]}")
    click.echo(f"{'撤销人' if revoke else '豁免人'} {w['by']}，时间 {w['at']}，理由：{w['reason']}")


@main.command("waivers", context_settings=CONTEXT)
@LEDGER_OPT
@DEBUG_OPT
def waivers_cmd(ledger_file: Optional[Path], debug: bool) -> None:
    """列出全部豁免（何时、何人、理由、所豁免的问题）。

    \b
    示例：
      dossier waivers
    """
    try:
        with _open_ledger(ledger_file) as ledger:
            ws = ledger.waivers()
    except Exception as e:  # noqa: BLE001
        _fail(e, debug)
        return
    if not ws:
        click.echo("没有豁免。")
    for w in ws:
        what = "撤销豁免" if w.get("revoked") else "豁免"
        click.echo(f"{w['at']}  {w.get('finding_id') or ''}  {w['fingerprint']}  {what}，{w['by']}：{w['reason']}")


@main.command("diff", context_settings=CONTEXT)
@click.argument("run_a")
@click.argument("run_b")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@LEDGER_OPT
@DEBUG_OPT
def diff_cmd(run_a: str, run_b: str, as_json: bool, ledger_file: Optional[Path], debug: bool) -> None:
    """比较两次审核：新增、已解决、仍存在的问题，以及新增、删除、改动的文件。

    RUN_A、RUN_B 为运行编号（报告封面和 `dossier ledger runs` 中可见，可只写前几位）。

    \b
    示例：
      dossier diff 1db5587f 82d170e1
    """
    from audit.record import diff_runs
    try:
        with _open_ledger(ledger_file) as ledger:
            d = diff_runs(ledger.run(run_a), ledger.run(run_b))
    except Exception as e:  # noqa: BLE001
        _fail(e, debug)
        return
    if as_json:
        click.echo(json.dumps(d, ensure_ascii=False, indent=2))
        return
    click.echo(f"从 {d['from']}（{d['from_at']}）到 {d['to']}（{d['to_at']}）：")
    for key, title in (("new", "新增问题"), ("resolved", "已解决的问题"), ("open", "仍存在的问题")):
        click.echo(f"{title} {len(d[key])} 项")
        for f in d[key]:
            click.echo(f"  {f['code']} {f['unit'] or '全批次'} {f['who']}：{f['message'][:70]}")
    for key, title in (("files_added", "新增文件"), ("files_removed", "删除的文件"), ("files_changed", "改动的文件")):
        click.echo(f"{title} {len(d[key])} 个")
        for p in d[key]:
            click.echo(f"  {p}")


def _index_of(where: str, ledger_file: Optional[Path]) -> Path:
    """The index of an audit: its output folder, a batch folder audited before, or a run id."""
    from audit.index import index_path
    p = Path(where)
    if (p.is_dir() and not (p / "index.sqlite").exists()) or not p.exists():
        from audit.ledger import Ledger
        lp = _ledger_path(ledger_file)
        if lp.exists():
            with Ledger.open(lp, create=False) as ledger:
                runs = ledger.runs()
                hits = ([r for r in runs if r.get("batch_path") == str(p.resolve())] if p.is_dir()
                        else [r for r in runs if r["run_id"].startswith(where)])
                if hits and hits[-1].get("out"):
                    return index_path(Path(hits[-1]["out"]))
    return index_path(p)


def _print_hits(hits: list[dict]) -> None:
    for h in hits:
        where = f"{h['file']}" + (f" 第 {h['page']} 页" if h.get("page") else "")
        box = "，位置 " + ",".join(f"{v:.0f}" for v in h["box"]) if h.get("box") else ""
        dist = f"，相差 {h['distance']} 位" if h.get("distance") is not None else ""
        who = " · ".join(x for x in (h.get("unit"), h.get("nominee")) if x)
        click.echo(f"[{h['kind']}] {who}  {where}{box}{dist}：{(h.get('text') or '')[:80]}")


@main.command("search", context_settings=CONTEXT)
@click.argument("where")
@click.argument("query", required=False)
@click.option("--image", "image", type=click.Path(path_type=Path), default=None,
              help="按图查找：与这张图片相似的页面（感知哈希）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@LEDGER_OPT
@DEBUG_OPT
def search_cmd(where: str, query: Optional[str], image: Optional[Path], as_json: bool,
               ledger_file: Optional[Path], debug: bool) -> None:
    """在一次审核的全部材料中查找姓名、身份证号、专利号、证书编号、金额、文字或图片出现的每一处。

    WHERE 是审核结果文件夹（含 index.sqlite），也可以是审核过的材料文件夹或运行编号。
    查找用审核时建立的索引，不再重新识别。

    \b
    示例：
      dossier search ./审核结果 张三
      dossier search ./审核结果 "ZL 2018 1 4048706.9"
      dossier search ./审核结果 23.15万元
      dossier search ./审核结果 --image ./投诉附件.jpg
    """
    from audit.index import search, search_image
    try:
        if image is None and not query:
            raise UsageError("没有给出要查找的内容", "例如：dossier search ./审核结果 张三，或 --image 图片文件")
        idx = _index_of(where, ledger_file)
        hits = search_image(idx, image) if image is not None else search(idx, query or "")
    except Exception as e:  # noqa: BLE001
        _fail(e, debug)
        return
    if as_json:
        click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
        return
    click.echo(f"找到 {len(hits)} 处。")
    _print_hits(hits)


@main.group("complaint", context_settings=CONTEXT)
def complaint_group() -> None:
    """公示期间的投诉：登记、核查、记录结论。

    \b
    示例：
      dossier complaint add --nominee 张三 --text "其专利证书上的发明人不是本人"
      dossier complaint check 1 ./审核结果
      dossier complaint conclude 1 --result 成立 --reason "经核原件，发明人为李四" --by 王科长
      dossier complaint list
    """


@complaint_group.command("add", context_settings=CONTEXT)
@click.option("--nominee", required=True, help="被投诉的人选姓名。")
@click.option("--text", "text", required=True, help="投诉内容（照录）。")
@click.option("--unit", default="", help="人选所在推荐单位（同名人选时填写）。")
@click.option("--by", "by", default="", help="登记人。")
@LEDGER_OPT
@DEBUG_OPT
def complaint_add_cmd(nominee: str, text: str, unit: str, by: str, ledger_file: Optional[Path], debug: bool) -> None:
    """登记一件投诉，得到投诉编号。

    \b
    示例：
      dossier complaint add --nominee 张三 --text "其2019年经济效益证明是伪造的" --by 李四
    """
    try:
        with _open_ledger(ledger_file) as ledger:
            n = ledger.add_complaint(nominee=nominee, text=text, by=by, unit=unit)
    except Exception as e:  # noqa: BLE001
        _fail(e, debug)
        return
    click.echo(f"已登记第 {n} 号投诉（{nominee}）。核查：dossier complaint check {n} 审核结果文件夹")


@complaint_group.command("list", context_settings=CONTEXT)
@LEDGER_OPT
@DEBUG_OPT
def complaint_list_cmd(ledger_file: Optional[Path], debug: bool) -> None:
    """列出全部投诉及其状态和结论。

    \b
    示例：
      dossier complaint list
    """
    try:
        with _open_ledger(ledger_file) as ledger:
            cs = ledger.complaints()
    except Exception as e:  # noqa: BLE001
        _fail(e, debug)
        return
    if not cs:
        click.echo("没有投诉。")
    for c in cs:
        line = f"第 {c['number']} 号  {c['at']}  {c.get('unit') or ''} {c['nominee']}  {c['state']}：{c['text'][:50]}"
        if c.get("conclusion"):
            k = c["conclusion"]
            line += f"  结论：{k['result']}（{k['by']}，{k['at']}）{k['reason']}"
        click.echo(line)


@complaint_group.command("check", context_settings=CONTEXT)
@click.argument("number", type=int)
@click.argument("where")
@click.option("-o", "--out", "report", type=click.Path(path_type=Path), default=None,
              help="核查报告文件（默认：审核结果文件夹中的 complaint-N.html）。")
@LEDGER_OPT
@DEBUG_OPT
def complaint_check_cmd(number: int, where: str, report: Optional[Path], ledger_file: Optional[Path],
                        debug: bool) -> None:
    """为一件投诉生成核查报告：被投诉人选的全部问题，投诉中提到的人名、号码、金额在全部材料中的出处。

    WHERE 是审核结果文件夹（也可以是审核过的材料文件夹或运行编号）。

    \b
    示例：
      dossier complaint check 1 ./审核结果
    """
    from audit.complaints import check_complaint
    from reports.complaint import write_complaint_report
    try:
        idx = _index_of(where, ledger_file)
        with _open_ledger(ledger_file) as ledger:
            c = next((x for x in ledger.complaints() if x["number"] == number), None)
            if c is None:
                raise UsageError(f"没有第 {number} 号投诉", "用 dossier complaint list 查看已登记的投诉。")
        found = check_complaint(c, idx)
        path = report or idx.parent / f"complaint-{number}.html"
        write_complaint_report(found, path)
    except Exception as e:  # noqa: BLE001
        _fail(e, debug)
        return
    click.echo(f"第 {number} 号投诉：{c['nominee']} 的问题 {len(found['findings'])} 项，"
               f"查找 {len(found['terms'])} 个关键词，找到 {sum(len(t['hits']) for t in found['terms'])} 处。")
    click.echo(f"核查报告：{path}")


@complaint_group.command("conclude", context_settings=CONTEXT)
@click.argument("number", type=int)
@click.option("--result", required=True, type=click.Choice(["成立", "不成立", "部分成立"]), help="核查结论。")
@click.option("--reason", required=True, help="结论的理由。")
@click.option("--by", "by", required=True, help="作出结论的人。")
@LEDGER_OPT
@DEBUG_OPT
def complaint_conclude_cmd(number: int, result: str, reason: str, by: str, ledger_file: Optional[Path],
                           debug: bool) -> None:
    """记录一件投诉的核查结论（每件投诉只能记录一次结论）。

    \b
    示例：
      dossier complaint conclude 1 --result 不成立 --reason "经核原件，专利发明人为本人" --by 王科长
    """
    try:
        with _open_ledger(ledger_file) as ledger:
            k = ledger.conclude(number, result=result, reason=reason, by=by)
    except Exception as e:  # noqa: BLE001
        _fail(e, debug)
        return
    click.echo(f"第 {number} 号投诉已办结：{k['result']}（{k['by']}，{k['at']}）。")


if __name__ == "__main__":
    main()
