"""The campaign profile: every number a notice sets, read from YAML."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional

import yaml

from audit.errors import UsageError

BUILTIN = Path(__file__).parent / "profiles" / "kaifeng-2020.yaml"


@dataclass
class Profile:
    id: str
    name: str
    years: list[int]
    deadline: date
    data: dict[str, Any] = field(default_factory=dict)
    digest: str = ""
    path: Optional[str] = None

    def get(self, dotted: str, default: Any = None) -> Any:
        cur: Any = self.data
        for part in dotted.split("."):
            if not isinstance(cur, dict) or part not in cur:
                return default
            cur = cur[part]
        return cur

    def skill_rank(self, text: Optional[str]) -> Optional[int]:
        """Level number (5 lowest … 1 highest) for a skill level as written, or None."""
        if not text:
            return None
        t = "".join(str(text).split())
        best = None
        # longest alias first so 高级技师 is not read as 技师
        pairs = [(a, lv["level"]) for lv in self.data.get("skill_levels", []) for a in lv["aliases"]]
        for alias, level in sorted(pairs, key=lambda p: -len(p[0])):
            if alias in t:
                best = level if best is None else min(best, level)
                t = t.replace(alias, "")
        return best

    def min_skill_rank(self) -> int:
        return self.skill_rank(self.data.get("min_skill_level", "技师")) or 2

    # -- levels of issuers and standards (V08, V09, V13) ----------------------------------
    def issuer_level(self, text: Optional[str]) -> Optional[str]:
        """The level (national | provincial | prefecture | enterprise) of an issuer as written,
        by the profile's ``issuer_levels`` table; None when no rule matches. Several issuers
        written together with spaces (``开封市总工会 开封市人力资源和社会保障局``) give the highest."""
        if not text or not str(text).strip():
            return None
        cfg = self.data.get("issuer_levels") or {}
        folds = cfg.get("ocr_folds") or {}
        rules = [(re.compile(r["re"]), r["level"]) for r in cfg.get("rules") or []]

        def one(s: str) -> Optional[str]:
            s = fold_org(s, folds)
            if len(s) < 2:
                return None
            return next((lv for rx, lv in rules if rx.search(s)), None)

        parts = [p for p in re.split(r"\s+", str(text).strip()) if p]
        levels = [one(p) for p in parts]
        if len(parts) > 1 and any(lv is None for lv in levels):
            levels.append(one("".join(parts)))      # a name broken by a space (开封市 总工会)
        return highest_level(levels)

    def issuers_level(self, issuers: Any) -> Optional[str]:
        """The highest level among several issuers (a list, or one string)."""
        if issuers is None:
            return None
        if isinstance(issuers, str):
            return self.issuer_level(issuers)
        return highest_level([self.issuer_level(str(x)) for x in issuers if x])

    def standard_level(self, number: Optional[str]) -> Optional[str]:
        """The level of a standard by its number (GB → national, DB41 → provincial, Q/ → enterprise …)."""
        if not number:
            return None
        t = unicodedata.normalize("NFKC", str(number)).strip().upper()
        for r in self.data.get("standard_levels") or []:
            if re.search(r["re"], t):
                return r["level"]
        return None


def _as_date(v: Any, what: str) -> date:
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError as e:
        raise UsageError(f"活动配置中的{what}不是日期：{v!r}", "请写成 2021-06-11 这样的格式。") from e


def load_profile(path: Optional[str | Path] = None, batch: Optional[Path] = None) -> Profile:
    """Load the profile: an explicit file, else the batch's campaign.yaml, else the built-in one."""
    chosen: Path = BUILTIN
    if path is not None:
        chosen = Path(path)
        if not chosen.is_file():
            raise UsageError(f"找不到活动配置文件：{chosen}", "请检查 --profile 后面的路径。")
    elif batch is not None and (batch / "campaign.yaml").is_file():
        chosen = batch / "campaign.yaml"
    raw = chosen.read_bytes()
    try:
        data = yaml.safe_load(raw.decode("utf-8-sig")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise UsageError(f"活动配置文件无法读取：{chosen}（{e}）", "请检查 YAML 格式是否正确。") from e
    if chosen != BUILTIN:
        # a campaign file may give only what differs from the built-in profile
        base = yaml.safe_load(BUILTIN.read_text("utf-8"))
        data = _merge(base, data)
    for key in ("id", "years", "deadline"):
        if key not in data:
            raise UsageError(f"活动配置缺少 {key}：{chosen}", "请参照内置配置 kaifeng-2020.yaml 补全。")
    return Profile(id=str(data["id"]), name=str(data.get("name", data["id"])),
                   years=[int(y) for y in data["years"]],
                   deadline=_as_date(data["deadline"], "截止日期"), data=data,
                   digest=hashlib.sha256(raw).hexdigest(), path=str(chosen))


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


# ---------------------------------------------------------------------------------------
# levels (V08, V09, V13)

LEVEL_RANK = {"enterprise": 1, "prefecture": 2, "provincial": 3, "national": 4}
LEVEL_ZH = {"enterprise": "企业级", "prefecture": "地厅级", "provincial": "省部级", "national": "国家级"}


def highest_level(levels: Any) -> Optional[str]:
    got = [lv for lv in levels if lv in LEVEL_RANK]
    return max(got, key=LEVEL_RANK.__getitem__) if got else None


def fold_org(text: str, folds: dict) -> str:
    """An organisation's name for matching: NFKC, no whitespace, OCR misreadings folded,
    seal stars and punctuation around it dropped."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))
    for a, b in sorted(folds.items(), key=lambda kv: -len(kv[0])):
        t = t.replace(a, b)
    return re.sub(r"^[^\u4e00-\u9fa5A-Za-z0-9]+|[^\u4e00-\u9fa5A-Za-z0-9]+$", "", t)
