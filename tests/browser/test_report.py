"""report.html of sample seed 1 in headless Chromium: console, filters, evidence, viewer, escaping,
masking, print, and screenshots for a person to look at (tests/artifacts/, not committed).

The truth is findings.json written beside the report, never the page itself. One audit (replay
engine) and one browser serve the whole module.
"""
from __future__ import annotations

import copy
import dataclasses
import json
import re
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from audit.model import Span
from audit.pipeline import AuditOptions, run_audit
from audit.profile import load_profile
from reports.writers import write_all
from rules.registry import all_rules

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PICTURED = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")
OFFICE = (".docx", ".doc", ".xlsx", ".xls", ".xlsm")
SEVERITIES = ("high", "medium", "low")
# independent of reports.mask on purpose: an 18-character ID number and an 11-digit mobile number
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z*])\d{17}[0-9Xx](?![0-9A-Za-z*])")
MOBILE = re.compile(r"(?<![0-9*])1[3-9]\d{9}(?![0-9*])")
COUNT = re.compile(r"显示\s*(\d+)\s*/\s*(\d+)\s*项")

# document text planted in the edited result: it must show as text and never run
MSG = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2>"
TEXT = "<script>window.__pwned=3</script><img src=x onerror=window.__pwned=4>"
FILE_TAIL = "<img src=x onerror=window.__pwned=5>.pdf"
NAME_TAIL = "<script>window.__pwned=6</script><img src=x onerror=window.__pwned=7>"
WAIVER = {"by": "复核人甲", "at": "2021-06-20", "reason": "已当面核实原件<img src=x onerror=window.__pwned=8>"}


# ---------------------------------------------------------------- the reports

def edited(result):
    """A copy of ``result`` whose text carries markup, with one finding waived."""
    r = copy.deepcopy(result)
    f = next(f for f in r.findings if f.nominee and any(s.page for s in f.evidence))
    old, new = f.nominee, f.nominee + NAME_TAIL
    f.message += MSG
    folder = f.evidence[0].file.rsplit("/", 1)[0]
    f.evidence = [dataclasses.replace(f.evidence[0], text=TEXT), *f.evidence[1:],
                  Span(file=f"{folder}/{FILE_TAIL}", text=TEXT)]
    for g in r.findings:
        if g.nominee == old:
            g.nominee = new
        g.nominees = [new if n == old else n for n in g.nominees]
    for n in r.ctx.nominees:
        if n.name == old:
            n.name = new
    waived = next(g for g in r.findings if g is not f and g.nominee != new and not g.nominees)
    waived.waived = dict(WAIVER)
    return SimpleNamespace(result=r, finding=f.id, waived=waived.id, name=new)


@pytest.fixture(scope="module")
def made(browser, tmp_path_factory):
    """Sample seed 1 audited once, written three ways: masked, --no-mask, and edited (see above).

    Asks for ``browser`` first, so that a machine without Chromium skips before the audit."""
    from audit.sample.batch import generate
    base = tmp_path_factory.mktemp("report-browser")
    d = base / "seed1"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOSSIER_CACHE_DIR", str(base / "ocr-cache"))
        generate(d, 1)
        result = run_audit(d / "batch", load_profile(None, d / "batch"),
                           AuditOptions(ocr=f"replay:{d / 'ocr-truth.json'}", jobs=1))
    rules = [r.to_dict() for r in all_rules()]
    ed = edited(result)
    for name, res, masked in (("masked", result, True), ("full", result, False), ("edited", ed.result, True)):
        write_all(res, base / name, masked=masked, rules=rules)
    load = lambda name: json.loads((base / name / "findings.json").read_text("utf-8"))  # noqa: E731
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return SimpleNamespace(base=base, doc=load("masked"), full=load("full"), edited=load("edited"), ed=ed,
                           # the pixel grid of each pictured page, in which the boxes of findings.json are
                           grid={k: (p.width, p.height) for k, p in result.exhibits.pages.items()},
                           titles={r["code"]: f"{r['title']} {r.get('clause', '')}" for r in rules},
                           url=lambda name: (base / name / "report.html").as_uri())


def open_report(driver, url: str) -> None:
    driver.get_log("browser")  # each page starts with an empty console record
    driver.get(url)


def severe(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


# ---------------------------------------------------------------- page helpers

STATE_JS = """
const ids = sel => [...document.querySelectorAll(sel)].filter(e => !e.hidden).map(e => e.dataset.id);
const shown = [...document.querySelectorAll('article.finding[hidden], #list tr.frow[hidden]')]
  .filter(e => e.getClientRects().length > 0).map(e => e.dataset.id);
return {articles: ids('article.finding'), rows: ids('#list tr.frow'),
        count: (document.querySelector('#f-count') || {}).textContent || '', hidden_but_shown: shown};
"""


def state(driver) -> dict:
    return driver.execute_script(STATE_JS)


def settle(driver, expected: set[str], timeout: float = 3.0) -> dict:
    """The filter state once the page shows ``expected`` (or after ``timeout``: a debounce is allowed)."""
    end = time.monotonic() + timeout
    while True:
        s = state(driver)
        if set(s["articles"]) == expected and set(s["rows"]) == expected or time.monotonic() > end:
            return s
        time.sleep(0.05)


def check_shown(s: dict, expected: set[str], total: int) -> None:
    assert set(s["articles"]) == expected, (f"articles shown but not expected: {sorted(set(s['articles']) - expected)}; "
                                            f"expected but hidden: {sorted(expected - set(s['articles']))}")
    assert set(s["rows"]) == expected, (f"rows shown but not expected: {sorted(set(s['rows']) - expected)}; "
                                        f"expected but hidden: {sorted(expected - set(s['rows']))}")
    assert not s["hidden_but_shown"], f"marked hidden but still displayed: {s['hidden_but_shown']}"
    m = COUNT.search(s["count"])
    assert m, f"#f-count does not read 显示 N / M 项: {s['count']!r}"
    assert (int(m[1]), int(m[2])) == (len(expected), total), s["count"]


def nominees_of(f: dict) -> set[str]:
    return ({f["nominee"]} if f.get("nominee") else set()) | set(f.get("nominees") or [])


def click(driver, css: str) -> None:
    el = driver.find_element("css selector", css)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    el.click()


def select(driver, css: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select
    el = driver.find_element("css selector", css)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    Select(el).select_by_value(value)


def search(driver, word: str) -> None:
    el = driver.find_element("css selector", "input#f-search")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    el.clear()
    el.send_keys(word)


def haystack(f: dict, titles: dict) -> str:
    """Everything a finding's article may show: the words a search can hit."""
    parts = [f["id"], f["code"], titles.get(f["code"], ""), f["message"], f.get("unit") or "",
             *sorted(nominees_of(f)), json.dumps(f.get("declared"), ensure_ascii=False),
             json.dumps(f.get("found"), ensure_ascii=False), json.dumps(f.get("waived"), ensure_ascii=False)]
    for e in f["evidence"]:
        parts += [e["file"], e.get("text") or ""]
    return "\n".join(parts)


def search_word(doc: dict, titles: dict) -> tuple[str, set[str]]:
    """A phrase of the messages whose findings are exactly those whose whole text holds it."""
    best: tuple[int, str, set[str]] | None = None
    for f in doc["findings"]:
        for chunk in re.split(r"[，。：；、（）“”\s\d.,:;()]+", f["message"]):
            for w in {chunk[:4], chunk[-4:]}:
                if len(w) < 3:
                    continue
                hits = {g["id"] for g in doc["findings"] if w in g["message"]}
                if hits != {g["id"] for g in doc["findings"] if w in haystack(g, titles)}:
                    continue
                if 2 <= len(hits) < len(doc["findings"]) and (best is None or len(hits) > best[0]):
                    best = (len(hits), w, hits)
    assert best, "no message phrase found to search for"
    return best[1], best[2]


# ---------------------------------------------------------------- tests

def test_every_finding_once_in_full_and_once_in_the_list(browser, made):
    open_report(browser, made.url("masked"))
    got = browser.execute_script("""
      const attrs = e => ({id: e.id, data_id: e.dataset.id, code: e.dataset.code, sev: e.dataset.sev,
                          unit: e.dataset.unit, nominees: e.dataset.nominees, waived: e.dataset.waived});
      return {articles: [...document.querySelectorAll('article.finding')].map(attrs),
              rows: [...document.querySelectorAll('section#list tr.frow')].map(attrs),
              sections: ['cover', 'list', 'units', 'nominees', 'cross', 'appendix']
                        .filter(s => document.querySelector('section#' + s)),
              masked: document.body.dataset.masked};
    """)
    want = {f["id"]: {"data_id": f["id"], "code": f["code"], "sev": f["severity"], "unit": f["unit"] or "",
                      "nominees": sorted(nominees_of(f)), "waived": "0"} for f in made.doc["findings"]}

    def by_id(els):
        return {e["data_id"]: {**{k: e[k] for k in ("data_id", "code", "sev", "unit", "waived")},
                               "nominees": sorted(filter(None, (e["nominees"] or "").split("|")))} for e in els}
    assert len(got["articles"]) == len(want) and by_id(got["articles"]) == want
    assert all(a["id"] == a["data_id"] for a in got["articles"])
    assert len(got["rows"]) == len(want) and by_id(got["rows"]) == want
    cross = any(len(nominees_of(f)) > 1 for f in made.doc["findings"])
    assert got["sections"] == ["cover", "list", "units", "nominees"] + (["cross"] if cross else []) + ["appendix"]
    assert got["masked"] == "1"


def test_no_console_errors(browser, made):
    open_report(browser, made.url("masked"))
    assert severe(browser) == [], "console errors on load"
    click(browser, "input[name=sev][value=high]")
    select(browser, "select#f-code", made.doc["findings"][-1]["code"])
    search(browser, made.doc["findings"][-1]["code"])
    click(browser, "form#filters [type=reset]")
    open_viewer(browser, made)
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    assert severe(browser) == [], "console errors while filtering and viewing"


def test_severity_filter(browser, made):
    open_report(browser, made.url("masked"))
    fs = made.doc["findings"]
    assert browser.execute_script(
        "return [...document.querySelectorAll('input[name=sev]')].map(e => e.value + (e.checked ? '+' : '-'))"
    ) == [s + "+" for s in SEVERITIES]
    check_shown(state(browser), {f["id"] for f in fs}, len(fs))
    click(browser, "input[name=sev][value=high]")
    want = {f["id"] for f in fs if f["severity"] != "high"}
    assert {f["severity"] for f in fs} >= {"high"}, "seed 1 has high findings"
    check_shown(settle(browser, want), want, len(fs))
    click(browser, "input[name=sev][value=low]")
    want = {f["id"] for f in fs if f["severity"] == "medium"}
    check_shown(settle(browser, want), want, len(fs))


@pytest.mark.parametrize("css,key,known", [
    ("select#f-code", lambda f: {f["code"]}, lambda doc, titles: set(titles)),
    ("select#f-unit", lambda f: {f["unit"] or ""}, lambda doc, titles: {u["name"] for u in doc["units"]}),
    ("select#f-nominee", nominees_of, lambda doc, titles: {n["name"] for n in doc["nominees"]}),
])
def test_select_filters(browser, made, css, key, known):
    open_report(browser, made.url("masked"))
    fs = made.doc["findings"]
    options = browser.execute_script(f"return [...document.querySelectorAll('{css} option')].map(o => o.value)")
    assert options[0] == "", f"{css}: the first option is not 'all'"
    values = set().union(*(key(f) for f in fs)) - {""}
    assert values <= set(options[1:]) <= known(made.doc, made.titles), \
        f"{css}: options {sorted(options[1:])}, findings' values {sorted(values)}"
    for v in sorted(set(options[1:]) - values)[:1]:  # a choice without findings shows none
        select(browser, css, v)
        check_shown(settle(browser, set()), set(), len(fs))
    # the value that splits the findings most evenly, and one more
    ranked = sorted(values, key=lambda v: (abs(2 * sum(v in key(f) for f in fs) - len(fs)), v))
    for v in ranked[:2]:
        select(browser, css, v)
        want = {f["id"] for f in fs if v in key(f)}
        check_shown(settle(browser, want), want, len(fs))
    select(browser, css, "")
    check_shown(settle(browser, {f["id"] for f in fs}), {f["id"] for f in fs}, len(fs))


def test_search_and_reset(browser, made):
    open_report(browser, made.url("masked"))
    fs = made.doc["findings"]
    everyone = {f["id"] for f in fs}
    # a nominee's name: every finding that names them (their own, cross findings, messages about them)
    counts = {n: sum(n in haystack(f, made.titles) for f in fs) for f in fs for n in nominees_of(f)}
    name = max(counts, key=lambda n: (counts[n], n))
    want = {f["id"] for f in fs if name in haystack(f, made.titles)}
    search(browser, name)
    check_shown(settle(browser, want), want, len(fs))
    word, want = search_word(made.doc, made.titles)
    search(browser, word)
    check_shown(settle(browser, want), want, len(fs))
    # filters combine: the search with high unchecked
    click(browser, "input[name=sev][value=high]")
    want2 = {f["id"] for f in fs if f["id"] in want and f["severity"] != "high"}
    check_shown(settle(browser, want2), want2, len(fs))
    select(browser, "select#f-code", fs[0]["code"])
    click(browser, "form#filters [type=reset]")
    s = settle(browser, everyone)
    check_shown(s, everyone, len(fs))
    assert browser.execute_script("""return [...document.querySelectorAll('input[name=sev]')].every(e => e.checked)
        && document.querySelector('#f-search').value === '' && document.querySelector('#f-code').value === ''
        && document.querySelector('#f-waived').checked""")


EVIDENCE_JS = """
const done = arguments[arguments.length - 1];
(async () => {
  const imgs = [...document.querySelectorAll('img.crop')];
  for (const img of imgs) {            // a lazily loaded crop loads once scrolled to
    if (img.complete && img.naturalWidth) continue;
    img.scrollIntoView({block: 'center'});
    await Promise.race([img.decode().catch(() => null), new Promise(r => setTimeout(r, 2000))]);
  }
  const pages = JSON.parse(document.getElementById('pages-data').textContent);
  const out = {};
  for (const a of document.querySelectorAll('article.finding')) {
    const ev = a.querySelector('div.evidence');
    out[a.dataset.id] = ev === null ? null : [...ev.querySelectorAll('figure.shot, .excerpt, .noimg')].map(c => ({
      kind: c.matches('figure.shot') ? 'shot' : c.matches('.excerpt') ? 'excerpt' : 'noimg',
      file: c.dataset.file || '', page: c.dataset.page || '', text: c.textContent.trim().length,
      imgs: [...c.querySelectorAll('img.crop')].map(i => {
        const r = i.getBoundingClientRect();
        return {ok: i.complete && i.naturalWidth > 0, nw: i.naturalWidth, nh: i.naturalHeight,
                w: Math.round(r.width), h: Math.round(r.height), key: i.dataset.pageKey || '',
                jpeg: i.src.startsWith('data:image/jpeg;base64,'),
                page: (pages[i.dataset.pageKey] || '').startsWith('data:image/jpeg;base64,')};
      })}));
  }
  done(out);
})();
"""


def expected_views(f: dict, unreadable: set[str]) -> dict[tuple[str, int | None], str]:
    """(file, page) → what the evidence there must show: shot (a crop), excerpt, or any (non-empty).

    Spans on the same page share one picture (their boxes drawn together)."""
    out: dict[tuple[str, int | None], str] = {}
    for e in f["evidence"]:
        suffix = Path(e["file"]).suffix.lower()
        if e.get("page") and suffix in PICTURED and e["file"] not in unreadable:
            kind = "shot"
        elif e.get("page") and e.get("bbox") and suffix in OFFICE:
            kind = "excerpt"
        else:
            kind = "any"
        out.setdefault((e["file"], e.get("page") if kind == "shot" else None), kind)
    return out


def test_every_finding_has_its_evidence_in_view(browser, made):
    open_report(browser, made.url("masked"))
    got = browser.execute_async_script(EVIDENCE_JS)
    unreadable = {u["path"] for u in made.doc["unreadable"] if u.get("page") is None and u["reason"] != "mislabelled"}
    problems = []
    for f in made.doc["findings"]:
        views = got.get(f["id"])
        if not views:
            problems.append(f"{f['id']}: no evidence shown")
            continue
        for v in views:
            if not v["text"] and not v["imgs"]:
                problems.append(f"{f['id']}: empty {v['kind']} for {v['file']}")
            for im in v["imgs"]:
                if not (im["ok"] and im["jpeg"] and im["page"]):
                    problems.append(f"{f['id']}: crop of {v['file']} p.{v['page']} not loaded or its full page "
                                    f"{im['key']!r} missing")
                # readable: at least ~100×24 px of picture, not a sliver, shown 80 px wide or more and inside the window
                elif not (im["nw"] >= 100 and im["nh"] >= 24 and 0.2 <= im["nw"] / im["nh"] <= 25
                          and 80 <= im["w"] <= 1400 and im["h"] >= 20):
                    problems.append(f"{f['id']}: crop of {v['file']} p.{v['page']} of odd size {im}")
        for (file, page), kind in expected_views(f, unreadable).items():
            mine = [v for v in views if v["file"] == file]
            where = f"{f['id']} {f['code']} {file}" + (f" p.{page}" if page else "")
            if kind == "shot":
                if not any(v["kind"] == "shot" and v["page"] == str(page) and v["imgs"] for v in mine):
                    problems.append(f"{where}: no crop of the page (shown: {[v['kind'] for v in mine]})")
            elif kind == "excerpt":
                if not any(v["kind"] == "excerpt" for v in mine):
                    problems.append(f"{where}: no excerpt of the office file (shown: {[v['kind'] for v in mine]})")
            elif not mine:
                problems.append(f"{where}: not shown")
    assert not problems, "\n".join(problems)
    assert sum(k == "shot" for f in made.doc["findings"] for k in expected_views(f, unreadable).values()) >= 10


def open_viewer(driver, made) -> dict:
    """Click the first crop of a finding whose pictured spans all have boxes; return the viewer's state."""
    from selenium.webdriver.support.ui import WebDriverWait
    fid = next(f["id"] for f in made.doc["findings"]
               if any(e.get("page") and Path(e["file"]).suffix.lower() in PICTURED for e in f["evidence"])
               and all(e.get("bbox") for e in f["evidence"] if Path(e["file"]).suffix.lower() in PICTURED))
    img = driver.find_element("css selector", f"article.finding[data-id='{fid}'] img.crop")
    driver.execute_script("""for (let d = arguments[0].closest('details'); d; d = d.parentElement.closest('details'))
                               d.open = true;
                             arguments[0].scrollIntoView({block: 'center'});""", img)
    key = img.get_attribute("data-page-key")
    img.click()
    viewer = driver.find_element("css selector", "#viewer")
    WebDriverWait(driver, 5).until(lambda d: viewer.is_displayed())
    return driver.execute_async_script("""
      const [key, crop, done] = arguments;
      const img = document.querySelector('#viewer img#viewer-img'), fig = crop.closest('figure.shot');
      const go = () => {
        const r = img.getBoundingClientRect();
        const boxes = [...document.querySelectorAll('#viewer .vbox')].map(b => b.getBoundingClientRect())
          .map(b => ({x0: b.left, y0: b.top, x1: b.right, y1: b.bottom}));
        done({ok: img.complete && img.naturalWidth > 0, w: r.width, h: r.height,
              img: {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}, boxes,
              file: fig.dataset.file, page: Number(fig.dataset.page),
              same: img.src === JSON.parse(document.getElementById('pages-data').textContent)[key]});
      };
      img.complete && img.naturalWidth ? go() : img.decode().then(go, go);
    """, key, img) | {"fid": fid}


def test_viewer_opens_the_page_with_the_box(browser, made):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    open_report(browser, made.url("masked"))
    v = open_viewer(browser, made)
    assert v["ok"] and v["same"], f"viewer image not loaded or not the crop's page: {v}"
    assert v["w"] >= 300 and v["h"] >= 300, f"full page shown too small: {v}"
    im = v["img"]
    drawn = [((b["x0"] - im["x0"]) / v["w"], (b["y0"] - im["y0"]) / v["h"],
              (b["x1"] - im["x0"]) / v["w"], (b["y1"] - im["y0"]) / v["h"]) for b in v["boxes"]]
    assert drawn and all(x1 - x0 > 0.002 and y1 - y0 > 0.002 and -0.01 <= x0 and -0.01 <= y0 and x1 <= 1.01
                         and y1 <= 1.01 for x0, y0, x1, y1 in drawn), f"no .vbox drawn inside the page: {v}"
    # each box of the finding on this page is drawn where the audit read it (page grid of the exhibit)
    w, h = made.grid[(v["file"], v["page"])]
    f = next(f for f in made.doc["findings"] if f["id"] == v["fid"])
    want = {tuple(round(c, 3) for c in (e["bbox"][0] / w, e["bbox"][1] / h, e["bbox"][2] / w, e["bbox"][3] / h))
            for e in f["evidence"] if e["file"] == v["file"] and e.get("page") == v["page"] and e.get("bbox")}
    assert want
    for box in want:
        assert any(all(abs(a - b) <= 0.015 for a, b in zip(box, d)) for d in drawn), \
            f"box {box} (fractions of the page) not drawn there; drawn: {[tuple(round(c, 3) for c in d) for d in drawn]}"
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    viewer = browser.find_element("css selector", "#viewer")
    WebDriverWait(browser, 3).until(lambda d: not viewer.is_displayed())
    # and a click on its close button
    open_viewer(browser, made)
    browser.find_element("css selector", "#viewer #viewer-close").click()
    WebDriverWait(browser, 3).until(lambda d: not viewer.is_displayed())
    assert severe(browser) == []


def shown_text(driver, fid: str) -> str:
    """The text of finding ``fid`` as rendered once scrolled to (off-screen content may not be laid out)."""
    return driver.execute_async_script("""
      const [id, done] = arguments;
      const a = document.querySelector(`article.finding[data-id="${id}"]`);
      if (!a) return done(null);
      a.scrollIntoView();
      requestAnimationFrame(() => requestAnimationFrame(() => done(a.innerText)));
    """, fid)


def test_document_text_renders_as_text(browser, made):
    open_report(browser, made.url("edited"))
    ed = made.ed
    got = browser.execute_script("""
      const a = document.querySelector(`article.finding[data-id="${arguments[0]}"]`);
      return {pwned: typeof window.__pwned, nominees: a ? a.dataset.nominees : null,
              onerror: document.querySelectorAll('[onerror]').length,
              imgx: [...document.images].filter(i => i.getAttribute('src') === 'x').length,
              scripts: [...document.scripts].filter(s => !/json/.test(s.type) && s.text.includes('__pwned')).length};
    """, ed.finding)
    text = shown_text(browser, ed.finding)
    assert got["pwned"] == "undefined" and browser.execute_script("return typeof window.__pwned") == "undefined"
    assert got["onerror"] == 0 and got["imgx"] == 0 and got["scripts"] == 0
    assert text is not None and MSG in text, "the message's markup is not shown as text"
    assert ed.name in text and got["nominees"] == ed.name
    assert FILE_TAIL in text, "the evidence file name is not shown as text"
    assert TEXT in text, "the evidence text (what was read on the page) is not shown as text"
    assert severe(browser) == []


def test_waived_findings_shown_as_waived(browser, made):
    open_report(browser, made.url("edited"))
    fs = made.edited["findings"]
    wid = made.ed.waived
    got = browser.execute_script("""
      const a = document.querySelector(`article.finding[data-id="${arguments[0]}"]`);
      return {cls: [...a.classList], waived: a.dataset.waived, line: a.querySelector('.waiver') !== null,
              others: document.querySelectorAll('article.finding.waived').length};
    """, wid)
    got["waiver"] = shown_text(browser, wid)
    assert "waived" in got["cls"] and got["waived"] == "1" and got["others"] == 1
    assert got["line"] and all(s in got["waiver"] for s in WAIVER.values()), got["waiver"]
    click(browser, "input#f-waived")
    want = {f["id"] for f in fs} - {wid}
    check_shown(settle(browser, want), want, len(fs))
    assert browser.execute_script("return typeof window.__pwned") == "undefined"


def page_text(driver) -> str:
    """Every text node and attribute value of the page, one a line; scripts, styles and image data left out."""
    return driver.execute_script("""
      const out = [], walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode())
        if (!n.parentElement.closest('script, style')) out.push(n.data);
      for (const e of document.body.querySelectorAll('*'))
        for (const a of e.attributes) if (!['src', 'href'].includes(a.name) && !a.value.startsWith('data:')) out.push(a.value);
      return out.join('\\n');
    """)


def test_masking(browser, made):
    open_report(browser, made.url("full"))
    full = page_text(browser)
    assert ID_NUMBER.search(full), "the sample's unmasked report shows no ID number: the masked check proves nothing"
    assert browser.execute_script("return document.body.dataset.masked") == "0"
    assert "未脱敏" in browser.find_element("css selector", "section#cover").text
    open_report(browser, made.url("masked"))
    text = page_text(browser)
    assert browser.execute_script("return document.body.dataset.masked") == "1"
    assert "未脱敏" not in browser.find_element("css selector", "section#cover").text
    source = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "", (made.base / "masked/report.html").read_text("utf-8"))
    assert not ID_NUMBER.findall(text) and not ID_NUMBER.findall(source)
    if MOBILE.search(full):
        assert not MOBILE.findall(text) and not MOBILE.findall(source)


def test_print_layout(browser, made):
    open_report(browser, made.url("masked"))
    # a real print fires beforeprint, then lays the page out for print media
    browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        got = browser.execute_script("""
          const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
          const details = [...document.querySelectorAll('details')];
          const closed = details.flatMap(d => [...d.children].filter(c => c.tagName !== 'SUMMARY' && !c.hidden))
            .filter(c => !shown(c)).map(c => c.outerHTML.slice(0, 80));
          return {filters: shown(document.querySelector('form#filters')), details: details.length, closed,
                  viewer: shown(document.querySelector('#viewer')),
                  articles: [...document.querySelectorAll('article.finding')].filter(shown).length};
        """)
        browser.save_screenshot(str(ARTIFACTS / "print.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        browser.execute_script("window.dispatchEvent(new Event('afterprint'))")
    assert not got["filters"], "the filter bar prints"
    assert not got["viewer"]
    assert not got["closed"], f"details content hidden in print: {got['closed'][:5]}"
    assert got["articles"] == len(made.doc["findings"])


def test_in_page_links_land_on_their_target(browser, made):
    """The table of contents and the overview's finding links bring their target to the top of the window,
    and it stays there once the blocks above it are laid out."""
    open_report(browser, made.url("masked"))
    fs = made.doc["findings"]
    cross = any(len(nominees_of(f)) > 1 for f in made.doc["findings"])
    hrefs = ["#nominees", "#appendix", *(["#cross"] if cross else []), f"#{fs[-1]['id']}", f"#{fs[len(fs) // 2]['id']}"]
    wrong = []
    for href in hrefs:
        browser.execute_script("window.scrollTo(0, 0)")
        link = next(a for a in browser.find_elements("css selector", f"a[href='{href}']") if a.is_displayed())
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
        link.click()
        time.sleep(1.0)  # let the blocks around the target be laid out
        top, bottom = browser.execute_script(
            "return [document.getElementById(arguments[0]).getBoundingClientRect().top,"
            " scrollY + innerHeight >= document.documentElement.scrollHeight - 2]", href[1:])
        if not (0 <= top <= 200 or bottom and 0 <= top < browser.execute_script("return innerHeight")):
            wrong.append(f"{href}: target {top:.0f} px from the top of the window")
    assert not wrong, "; ".join(wrong)


SCROLL_TO_JS = """
const [el, done] = arguments;
let stable = 0, n = 0;   // off-screen blocks may be laid out late (content-visibility): follow the target
const step = () => {
  const t = el.getBoundingClientRect().top;
  el.scrollIntoView({block: 'start'});
  stable = Math.abs(el.getBoundingClientRect().top - t) < 1 ? stable + 1 : 0;
  if (stable >= 4 || ++n >= 60) return done(true);
  requestAnimationFrame(() => requestAnimationFrame(step));
};
step();
"""


def shoot(driver, name: str, js_target: str | None = None) -> Path:
    if js_target:
        el = driver.execute_script(f"return {js_target}")
        assert el is not None, f"{name}: nothing to show"
        driver.execute_async_script(SCROLL_TO_JS, el)
    else:
        driver.execute_script("window.scrollTo(0, 0)")
    time.sleep(0.1)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000, f"{name}.png is blank"
    return path


def test_screenshots(browser, made):
    """Pictures for a person to look at (tests/artifacts/); they must not be blank."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    open_report(browser, made.url("masked"))
    shoot(browser, "cover", "document.querySelector('section#cover')")
    # a nominee's findings with their crops
    shoot(browser, "nominee", "(document.querySelector('section#nominees img.crop') || {closest: () => null})"
                              ".closest('article.finding')")
    if any(len(nominees_of(f)) > 1 for f in made.doc["findings"]):
        shoot(browser, "cross", "document.querySelector('section#cross')")
    open_viewer(browser, made)
    shoot(browser, "viewer")
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    click(browser, "input[name=sev][value=low]")
    select(browser, "select#f-unit", next(f["unit"] for f in made.doc["findings"] if f["unit"]))
    shoot(browser, "filtered", "document.querySelector('section#list')")
    assert severe(browser) == []
