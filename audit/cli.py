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
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条。")
@click.option("--debug", is_flag=True, help="出错时显示完整的错误信息。")
def audit_cmd(batch: Path, out: Path, profile: Optional[Path], ocr: str, jobs: Optional[int],
              no_cache: bool, no_mask: bool, no_second_reading: bool, pdf: bool, quiet: bool,
              debug: bool) -> None:
    """审核一个批次的推荐材料，结果写入 OUT 文件夹。

    OUT 中生成 findings.json（机器可读）、report.html（审核报告）和 findings.xlsx（问题清单）；
    加 --pdf 时另生成 report.pdf（其他文件先写好，PDF 生成失败不影响它们）。
    材料文件夹只读，不会被修改。

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
        check_paths(batch, out)
        prof = load_profile(profile, batch)
        with _Progress(not quiet) as progress:
            result = run_audit(batch, prof, AuditOptions(
                ocr=ocr, jobs=jobs, cache_dir=None if no_cache else "auto", progress=progress, strict=debug,
                second_reading=not no_second_reading))
        doc = write_all(result, out, masked=not no_mask, rules=[r.to_dict() for r in all_rules()], pdf=pdf)
    except Exception as e:  # noqa: BLE001 - the CLI is where errors become exit codes
        _fail(e, debug)
        return
    _summary(doc, out, pdf)


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


if __name__ == "__main__":
    main()
