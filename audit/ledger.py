"""The ledger: an append-only, hash-chained record of audits, waivers and complaints.

What
----
One SQLite file per campaign (``default_ledger_path("kaifeng-2020")`` →
``$DOSSIER_DATA_DIR/kaifeng-2020.ledger.sqlite``, else the user data dir of ``dossier-audit``)
holding every audit run with its input hashes and findings, every waiver, every complaint
received during publicity and its conclusion.

Why
---
Supervision needs a record that nobody can quietly edit: which batch was audited when, what
was found, who waived what and why, how each complaint was settled. So the ledger only ever
*appends*, and each record carries the hash of the one before it: editing, deleting or
reordering a record breaks the chain, and :meth:`Ledger.verify` names the first broken record.

Storage
-------
Everything lives in one table; every read of this module comes from it::

    records(seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT, at TEXT, payload TEXT, prev TEXT, hash TEXT)

- ``seq`` counts records from 1, without gaps.
- ``at`` is an ISO 8601 time with its UTC offset, from the caller's clock
  (``datetime.now().astimezone()``); a run's records carry the run's ``generated_at``.
- ``payload`` is canonical JSON (``sort_keys``, ``ensure_ascii=False``, separators ``,`` ``:``),
  stored exactly as hashed, so names and reasons come back exactly as given.
- ``prev`` is the previous record's ``hash`` (``GENESIS``, 64 zeros, for record 1) and
  ``hash = sha256(f"{seq}\\n{kind}\\n{at}\\n{payload}\\n{prev}")`` in hex.

Record kinds and their payloads:

``run``         ``run_id, batch, campaign, tool_version, profile_digest,
                inputs [{path, sha256}], findings`` (the number of finding records that follow)
``finding``     ``run_id, id, fingerprint, code, severity, unit, nominee, nominees, message,
                evidence [{file, page}]`` (no boxes, no OCR text: those change on a re-scan).
                A run's findings follow its run record directly, in one transaction.
``waiver``      ``fingerprint, by, reason, finding_id, run_id``. Waivers apply by fingerprint:
                :meth:`Ledger.waiver_map` gives each fingerprint's latest waiver, which the
                audit marks on the same finding in later runs.
``complaint``   ``number`` (1, 2, … in order), ``nominee, unit, text, by``
``conclusion``  ``number`` (of the complaint), ``result`` (成立|不成立|部分成立), ``reason, by``

Guards
------
- *Ours or not*: ``PRAGMA application_id`` is ``APPLICATION_ID`` and table ``meta`` holds the
  format version. A file that is not a SQLite database, another application's database, an
  empty file, a damaged file or one of a newer format is refused with :class:`LedgerError`
  and never written to: its header is read as bytes before SQLite touches it, and the
  integrity check runs on a read-only connection.
- *Creation* builds the database in a temporary file beside the target and hard-links it into
  place, so a file at the ledger's path is always complete, and two processes creating the
  same ledger at once end up sharing one.
- *Casual edits*: triggers refuse UPDATE and DELETE on ``records`` and ``meta``. ``verify()``
  does not rely on them (anyone can drop a trigger); it recomputes the chain.
- *Concurrency*: WAL mode, a busy timeout, and every append in a ``BEGIN IMMEDIATE``
  transaction that reads the last hash and inserts under the same write lock.
- *Crashes*: a run is one transaction; a process killed part-way leaves nothing of it, and
  the next append continues the chain. ``synchronous=FULL``.

What a hash chain cannot prove: that nobody rewrote the chain from some record to the end
with freshly computed hashes, or removed its last records and the bookkeeping that remembers
them. ``Verified.head`` is the hash of the last record; noted outside the ledger (a report, a
signed memo), it pins everything up to that point.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import platformdirs

from audit.errors import UsageError

__all__ = [
    "DEFAULT_NAME", "APPLICATION_ID", "FORMAT_VERSION", "GENESIS", "RESULTS",
    "default_ledger_path", "LedgerError", "Broken", "Verified", "Ledger",
]

DEFAULT_NAME = "{campaign}.ledger.sqlite"
APPLICATION_ID = 0x444F5353          # "DOSS", in the SQLite header at offset 68
FORMAT_VERSION = 1
APPLICATION_NAME = "dossier-audit ledger"
GENESIS = "0" * 64                   # ``prev`` of record 1
RESULTS = ("成立", "不成立", "部分成立")
KINDS = ("run", "finding", "waiver", "complaint", "conclusion")
BUSY_TIMEOUT_S = 60.0
_CHUNK = 1000                        # finding rows per executemany() inside record_run
_SQLITE_MAGIC = b"SQLite format 3\x00"
_FINDING_ID = re.compile(r"[Ff]\d+")

_SCHEMA = f"""
PRAGMA application_id = {APPLICATION_ID};
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX records_kind ON records(kind, seq);
CREATE TRIGGER records_no_update BEFORE UPDATE ON records
    BEGIN SELECT RAISE(ABORT, '账本只能追加记录，不能修改'); END;
CREATE TRIGGER records_no_delete BEFORE DELETE ON records
    BEGIN SELECT RAISE(ABORT, '账本只能追加记录，不能删除'); END;
CREATE TRIGGER meta_no_update BEFORE UPDATE ON meta
    BEGIN SELECT RAISE(ABORT, '账本只能追加记录，不能修改'); END;
CREATE TRIGGER meta_no_delete BEFORE DELETE ON meta
    BEGIN SELECT RAISE(ABORT, '账本只能追加记录，不能删除'); END;
"""


def default_ledger_path(campaign: str) -> Path:
    """Where the campaign's ledger lives: ``$DOSSIER_DATA_DIR`` if set, else the user data dir."""
    if not campaign or campaign in (".", "..") or any(c in campaign for c in "/\\\x00"):
        raise LedgerError(f"评选活动名称“{campaign}”不能用作账本文件名。",
                          "请检查活动配置中的名称，或用 --ledger 指定账本文件。")
    env = os.environ.get("DOSSIER_DATA_DIR")
    base = Path(env) if env else Path(platformdirs.user_data_dir("dossier-audit"))
    return base / DEFAULT_NAME.format(campaign=campaign)


class LedgerError(UsageError):
    """The ledger file cannot be used: not ours, damaged, of a newer format; or a ledger
    operation the user asked for cannot be done (unknown run, second conclusion …)."""


@dataclass
class Broken:
    """The first record where the chain fails; ``seq`` 0 and kind ``file`` when the
    file itself is damaged. ``reason`` is for people, in Chinese."""
    seq: int
    kind: str
    reason: str


@dataclass
class Verified:
    ok: bool
    records: int                 # how many records the ledger holds
    first_broken: Optional[Broken]
    head: Optional[str] = None   # hash of the last record (when ok): note it elsewhere to pin the ledger


def canonical(obj: Any) -> str:
    """The one JSON form of a payload (what is stored and hashed)."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def record_hash(seq: int, kind: str, at: str, payload: str, prev: str) -> str:
    return hashlib.sha256(f"{seq}\n{kind}\n{at}\n{payload}\n{prev}".encode("utf-8")).hexdigest()


def now() -> str:
    """The caller's clock, ISO 8601 with its UTC offset."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _damaged(path: Path, detail: str = "") -> LedgerError:
    extra = f"（{detail}）" if detail else ""
    return LedgerError(f"账本文件“{path}”已损坏{extra}，本工具不会改写它。",
                       "请从备份恢复该文件，或用 --ledger 指定另一个账本文件；"
                       "如需留存证据，请保留这个损坏的文件，不要删除。")


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _check_header(path: Path) -> None:
    """Read the file's first 100 bytes (SQLite's header) without opening it as a database."""
    if path.is_dir():
        raise LedgerError(f"“{path}”是一个文件夹，不是账本文件。", "请用 --ledger 指定账本文件本身的路径。")
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise LedgerError(f"无法读取账本文件“{path}”：{exc.strerror or exc}。",
                          "请检查文件是否存在、是否有读取权限。") from exc
    if not header:
        raise LedgerError(f"“{path}”是一个空文件，不是本工具的账本，本工具不会改写它。",
                          "请用 --ledger 指定一个尚不存在的路径来新建账本，或指定已有的账本文件。")
    if not header.startswith(_SQLITE_MAGIC):
        raise LedgerError(f"“{path}”不是本工具的账本文件（不是 SQLite 数据库），本工具不会改写它。",
                          "请检查 --ledger 指定的路径；新建账本请指定一个尚不存在的文件。")
    if len(header) < 100:
        raise _damaged(path, "文件头不完整")
    app_id = int.from_bytes(header[68:72], "big")
    if app_id != APPLICATION_ID:
        raise LedgerError(f"“{path}”是其他程序的 SQLite 数据库，不是本工具的账本，本工具不会改写它。",
                          "请检查 --ledger 指定的路径；新建账本请指定一个尚不存在的文件。")


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    con = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None, uri=uri)
    con.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return con


def _check_contents(path: Path) -> None:
    """Integrity and identity, on a read-only connection (nothing is written, not even a checkpoint)."""
    try:
        con = _connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _damaged(path, str(exc)) from exc
    try:
        problems = [r[0] for r in con.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise _damaged(path, "SQLite 完整性检查未通过")
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"meta", "records"} <= tables:
            raise _damaged(path, "缺少账本的数据表")
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, str(exc)) from exc
    finally:
        con.close()
    if meta.get("application") != APPLICATION_NAME:
        raise _damaged(path, "缺少账本的标识")
    try:
        version = int(meta.get("format", ""))
    except ValueError:
        raise _damaged(path, "账本格式版本无法识别") from None
    if version > FORMAT_VERSION:
        raise LedgerError(f"账本文件“{path}”由较新版本的本工具创建（格式 {version}），当前版本只认识格式 {FORMAT_VERSION}，"
                          "本工具不会改写它。", "请升级 dossier-audit 后再使用这个账本。")
    if version < 1:
        raise _damaged(path, "账本格式版本无法识别")


def _create(path: Path) -> None:
    """Build a complete, empty ledger beside ``path`` and link it into place (never over a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        con = _connect(str(tmp))
        try:
            con.executescript("BEGIN;" + _SCHEMA + "COMMIT;")
            con.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                            [("application", APPLICATION_NAME), ("format", str(FORMAT_VERSION)),
                             ("created_at", now())])
            con.execute("PRAGMA journal_mode = WAL")
        finally:
            con.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass                      # another process created it first: open theirs
        except OSError:               # no hard links on this file system
            if not path.exists():
                os.replace(tmp, path)
    except OSError as exc:
        raise LedgerError(f"无法新建账本文件“{path}”：{exc.strerror or exc}。",
                          "请检查所在文件夹是否存在、是否有写入权限，或用 --ledger 指定另一个位置。") from exc
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            try:
                leftover.unlink()
            except FileNotFoundError:
                pass


class Ledger:
    """One campaign's ledger file. Open with :meth:`open`; use as a context manager."""

    def __init__(self, path: Path, con: sqlite3.Connection):
        self.path = path
        self._con = con
        # Test-only: called inside record_run's transaction after each chunk of finding rows
        # (with the number inserted so far), to stop a process mid-transaction deterministically.
        self._in_transaction_hook: Optional[Callable[[int], None]] = None

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> "Ledger":
        path = Path(path)
        if not path.exists():
            if not create:
                raise LedgerError(f"账本文件“{path}”不存在。", "请检查 --ledger 指定的路径。")
            _create(path)
        _check_header(path)
        _check_contents(path)
        try:
            con = _connect(str(path))
            con.execute("PRAGMA synchronous = FULL")
            if con.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                con.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            raise LedgerError(f"无法打开账本文件“{path}”：{exc}。",
                              "请检查文件及所在文件夹是否有读写权限。") from exc
        return cls(path, con)

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------------------
    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.ProgrammingError:
            raise                     # a closed ledger or a bug: not the user's to fix
        except sqlite3.DatabaseError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise LedgerError(f"账本文件“{self.path}”正被其他程序长时间占用。",
                                  "请等其他审核或登记操作完成后再试。") from exc
            if type(exc) is sqlite3.DatabaseError or "malformed" in text or "not a database" in text:
                raise _damaged(self.path, text) from exc
            raise LedgerError(f"无法写入账本文件“{self.path}”：{text}。",
                              "请检查磁盘空间，以及文件和所在文件夹是否有写入权限。") from exc

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One consistent snapshot for a read that takes several statements."""
        with self._guard():
            self._con.execute("BEGIN")
            try:
                yield self._con
            finally:
                self._con.execute("COMMIT")

    @contextmanager
    def _append(self) -> Iterator["_Appender"]:
        """A write transaction: the last hash is read under the write lock, then records go in."""
        with self._guard():
            self._con.execute("BEGIN IMMEDIATE")
            try:
                row = self._con.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
                highest = self._con.execute(
                    "SELECT seq FROM sqlite_sequence WHERE name = 'records'").fetchone()
                last_seq = max(row[0] if row else 0, highest[0] if highest else 0)
                appender = _Appender(self._con, last_seq, row[1] if row else GENESIS)
                yield appender
                appender.flush()
                self._con.execute("COMMIT")
            except BaseException:
                if self._con.in_transaction:
                    self._con.execute("ROLLBACK")
                raise

    # -- runs --------------------------------------------------------------------------------
    def record_run(self, doc: dict) -> str:
        """Record one audit (a findings document, as ``reports.result.build_document`` returns it)."""
        run_id = doc.get("run_id")
        if not isinstance(run_id, str) or not run_id.strip():
            raise LedgerError("审核结果缺少运行编号（run_id），无法记入账本。", "请用本工具重新生成审核结果。")
        at = doc.get("generated_at") or now()
        try:
            stamped = datetime.fromisoformat(at)
        except (TypeError, ValueError):
            stamped = None
        if stamped is None or stamped.tzinfo is None:
            raise LedgerError(f"审核结果的生成时间“{at}”不是带时区的时间，无法记入账本。",
                              "请用本工具重新生成审核结果。")
        findings = list(doc.get("findings") or [])
        run = {
            "run_id": run_id,
            "batch": doc.get("batch"),
            "campaign": doc.get("campaign"),
            "tool_version": doc.get("tool_version"),
            "profile_digest": doc.get("profile_digest"),
            "inputs": [{"path": i.get("path"), "sha256": i.get("sha256")} for i in doc.get("inputs") or []],
            "findings": len(findings),
        }
        # where the batch and the outputs were, as absolute paths (the CLI adds them): what
        # `dossier search BATCH` and the re-audit diff look runs up by
        for k in ("batch_path", "out"):
            if doc.get(k):
                run[k] = doc[k]
        rows = (("finding", at, _finding_payload(run_id, f)) for f in findings)
        with self._append() as app:
            if self._run_row(run_id, exact=True) is not None:
                raise LedgerError(f"运行 {run_id} 已记入账本，不能重复登记。",
                                  "每次审核都有新的运行编号；如需再次登记，请重新审核。")
            app.add("run", at, run)
            done = 0
            for row in rows:
                app.add(*row)
                if app.pending >= _CHUNK:
                    done += app.flush()
                    if self._in_transaction_hook:
                        self._in_transaction_hook(done)
        return run_id

    def _run_rows(self) -> list[tuple[int, str, dict]]:
        return [(seq, at, json.loads(payload)) for seq, at, payload in self._con.execute(
            "SELECT seq, at, payload FROM records WHERE kind = 'run' ORDER BY seq")]

    def _run_row(self, key: str, *, exact: bool = False) -> Optional[tuple[int, str, dict]]:
        """The run record whose run_id is ``key`` (or, unless exact, starts with it, uniquely)."""
        pattern = f'%"run_id":"{_like_escape(key)}%'
        hits = [(seq, at, json.loads(p)) for seq, at, p in self._con.execute(
            "SELECT seq, at, payload FROM records WHERE kind = 'run' AND payload LIKE ? ESCAPE '\\' "
            "ORDER BY seq", (pattern,))]
        same = [h for h in hits if h[2].get("run_id") == key]
        if same or exact:
            return same[-1] if same else None
        starts = [h for h in hits if str(h[2].get("run_id", "")).startswith(key)]
        if len(starts) > 1:
            names = "、".join(h[2]["run_id"] for h in starts[:5])
            raise LedgerError(f"运行编号前缀“{key}”对应多次运行（{names}）。", "请给出更长的运行编号。")
        return starts[0] if starts else None

    def _findings_of(self, seq: int, run: dict) -> list[dict]:
        """A run's findings: the ``findings`` records right after its run record."""
        n = int(run.get("findings") or 0)
        out = []
        for (payload,) in self._con.execute(
                "SELECT payload FROM records WHERE seq > ? AND seq <= ? AND kind = 'finding' ORDER BY seq",
                (seq, seq + n)):
            f = json.loads(payload)
            if f.get("run_id") == run.get("run_id"):
                out.append(f)
        return out

    @staticmethod
    def _run_dict(seq: int, at: str, payload: dict) -> dict:
        return {"run_id": payload.get("run_id"), "at": at, "batch": payload.get("batch"),
                "campaign": payload.get("campaign"), "tool_version": payload.get("tool_version"),
                "profile_digest": payload.get("profile_digest"), "batch_path": payload.get("batch_path"),
                "out": payload.get("out"), "seq": seq}

    def runs(self) -> list[dict]:
        """Every run, oldest first, with the number of its inputs and findings."""
        with self._read():
            return [dict(self._run_dict(seq, at, p), inputs=len(p.get("inputs") or []),
                         findings=int(p.get("findings") or 0))
                    for seq, at, p in self._run_rows()]

    def run(self, run_id: str) -> dict:
        """One run with its ``inputs`` and ``findings`` lists; a unique prefix of its id will do."""
        key = (run_id or "").strip()
        with self._read():
            hit = self._run_row(key) if key else None
            if hit is None:
                raise LedgerError(f"账本中没有运行“{run_id}”。", "用 dossier ledger runs 查看已登记的运行。")
            seq, at, payload = hit
            return dict(self._run_dict(seq, at, payload), inputs=list(payload.get("inputs") or []),
                        findings=self._findings_of(seq, payload))

    def latest_run(self) -> Optional[dict]:
        with self._read():
            row = self._con.execute(
                "SELECT seq, at, payload FROM records WHERE kind = 'run' ORDER BY seq DESC LIMIT 1").fetchone()
            if row is None:
                return None
            seq, at, payload = row[0], row[1], json.loads(row[2])
            return dict(self._run_dict(seq, at, payload), inputs=list(payload.get("inputs") or []),
                        findings=self._findings_of(seq, payload))

    def find_finding(self, key: str) -> Optional[dict]:
        """A finding by id (``F0012``: in the latest run that has it) or by fingerprint (or a
        unique prefix of at least 8 characters: its latest occurrence). None if there is none."""
        key = (key or "").strip()
        if _FINDING_ID.fullmatch(key):
            fid = key.upper()
            pattern = f'%"id":"{_like_escape(fid)}"%'
            with self._read():
                for seq, _at, run in reversed(self._run_rows()):
                    n = int(run.get("findings") or 0)
                    for (payload,) in self._con.execute(
                            "SELECT payload FROM records WHERE seq > ? AND seq <= ? AND kind = 'finding' "
                            "AND payload LIKE ? ESCAPE '\\' ORDER BY seq", (seq, seq + n, pattern)):
                        f = json.loads(payload)
                        if f.get("id") == fid and f.get("run_id") == run.get("run_id"):
                            return f
            return None
        if len(key) < 8:
            raise LedgerError(f"“{key}”既不是发现编号（如 F0012），也不是足够长的指纹。",
                              "指纹至少给出前 8 位。")
        pattern = f'%"fingerprint":"{_like_escape(key)}%'
        with self._read():
            hits = [json.loads(p) for (p,) in self._con.execute(
                "SELECT payload FROM records WHERE kind = 'finding' AND payload LIKE ? ESCAPE '\\' "
                "ORDER BY seq", (pattern,))]
        hits = [f for f in hits if str(f.get("fingerprint", "")).startswith(key)]
        exact = [f for f in hits if f.get("fingerprint") == key]
        if exact:
            return exact[-1]
        prints = sorted({f["fingerprint"] for f in hits})
        if len(prints) > 1:
            raise LedgerError(f"指纹前缀“{key}”对应多条不同的发现（{'、'.join(prints[:5])}）。",
                              "请给出更长的指纹。")
        return hits[-1] if hits else None

    # -- waivers -------------------------------------------------------------------------------
    def waive(self, fingerprint: str, *, by: str, reason: str, finding_id: Optional[str] = None,
              run_id: Optional[str] = None, revoke: bool = False) -> dict:
        """Waive a finding by its fingerprint; later audits of the same evidence mark it waived.
        ``revoke``: withdraw the waiver in force instead (a record of its own: nothing is erased);
        a finding with no waiver in force cannot be revoked."""
        if not (fingerprint or "").strip():
            raise LedgerError("豁免需要指明发现的指纹。", "用 dossier waive 发现编号或指纹 --reason 理由 --by 姓名。")
        _require(by, "豁免人（--by）")
        _require(reason, "豁免理由（--reason）")
        at = now()
        payload = {"fingerprint": fingerprint, "by": by, "reason": reason,
                   "finding_id": finding_id, "run_id": run_id}
        if revoke:
            payload["revoked"] = True
        with self._append() as app:
            if revoke and not self._waived_now(fingerprint):
                raise LedgerError("该问题目前没有豁免，无需撤销。", "用 dossier waivers 查看现有的豁免。")
            seq = app.add("waiver", at, payload)
        return {"fingerprint": fingerprint, "by": by, "reason": reason, "at": at, "seq": seq, "revoked": revoke}

    def _waived_now(self, fingerprint: str) -> bool:
        """Whether ``fingerprint``'s latest waiver record is a waiver, not a revocation (inside the
        caller's transaction)."""
        last = None
        for (payload,) in self._con.execute("SELECT payload FROM records WHERE kind = 'waiver' ORDER BY seq"):
            p = json.loads(payload)
            if p.get("fingerprint") == fingerprint:
                last = p
        return last is not None and not last.get("revoked")

    def waivers(self) -> list[dict]:
        """Every waiver record, oldest first (revocations carry ``revoked``: true)."""
        with self._read():
            return [dict(json.loads(p), at=at, seq=seq) for seq, at, p in self._con.execute(
                "SELECT seq, at, payload FROM records WHERE kind = 'waiver' ORDER BY seq")]

    def waiver_map(self) -> dict[str, dict]:
        """fingerprint → its latest waiver ``{by, reason, at}``: what the audit marks on findings.
        A fingerprint whose latest waiver record is a revocation has none."""
        out: dict[str, dict] = {}
        for w in self.waivers():
            if w.get("revoked"):
                out.pop(w["fingerprint"], None)
            else:
                out[w["fingerprint"]] = {"by": w["by"], "reason": w["reason"], "at": w["at"]}
        return out

    # -- complaints -------------------------------------------------------------------------------
    def add_complaint(self, *, nominee: str, text: str, by: str = "", unit: str = "") -> int:
        """Record a complaint received during publicity; returns its number (1, 2, …)."""
        _require(nominee, "被反映人（--nominee）")
        _require(text, "反映内容（--text）")
        at = now()
        with self._append() as app:
            (count,) = self._con.execute("SELECT COUNT(*) FROM records WHERE kind = 'complaint'").fetchone()
            number = count + 1
            app.add("complaint", at, {"number": number, "nominee": nominee, "unit": unit or "",
                                      "text": text, "by": by or ""})
        return number

    def complaints(self) -> list[dict]:
        """Every complaint, in order, with its state (待核查 | 已办结) and conclusion (or None)."""
        with self._read():
            rows = self._con.execute("SELECT seq, kind, at, payload FROM records "
                                     "WHERE kind IN ('complaint', 'conclusion') ORDER BY seq").fetchall()
        complaints: dict[int, dict] = {}
        for seq, kind, at, payload in rows:
            p = json.loads(payload)
            if kind == "complaint":
                complaints[p["number"]] = {"number": p["number"], "nominee": p["nominee"], "unit": p.get("unit", ""),
                                           "text": p["text"], "by": p.get("by", ""), "at": at, "seq": seq,
                                           "state": "待核查", "conclusion": None}
            elif p.get("number") in complaints and complaints[p["number"]]["conclusion"] is None:
                complaints[p["number"]]["conclusion"] = {"result": p["result"], "reason": p["reason"],
                                                         "by": p["by"], "at": at, "seq": seq}
                complaints[p["number"]]["state"] = "已办结"
        return list(complaints.values())

    def conclude(self, number: int, *, result: str, reason: str, by: str) -> dict:
        """Record the conclusion of complaint ``number``; each complaint is concluded once."""
        if result not in RESULTS:
            raise LedgerError(f"核查结论“{result}”无法识别。", "结论只能是：" + "、".join(RESULTS) + "。")
        _require(reason, "结论理由（--reason）")
        _require(by, "办理人（--by）")
        at = now()
        with self._append() as app:
            known = {json.loads(p)["number"] for (p,) in self._con.execute(
                "SELECT payload FROM records WHERE kind = 'complaint'")}
            if number not in known:
                raise LedgerError(f"账本中没有第 {number} 号反映。", "用 dossier complaint list 查看已登记的反映。")
            done = {json.loads(p)["number"] for (p,) in self._con.execute(
                "SELECT payload FROM records WHERE kind = 'conclusion'")}
            if number in done:
                raise LedgerError(f"第 {number} 号反映已有核查结论，不能再次办结。",
                                  "账本只能追加；如结论有误，请另行登记新的反映并说明情况。")
            seq = app.add("conclusion", at, {"number": number, "result": result, "reason": reason, "by": by})
        return {"number": number, "result": result, "reason": reason, "by": by, "at": at, "seq": seq}

    # -- verification ------------------------------------------------------------------------------
    def verify(self) -> Verified:
        """Recompute the chain from record 1; name the first record where it breaks.

        Checks, per record: seq follows the one before without a gap; ``prev`` is the hash of
        the record before; ``hash`` matches seq, kind, at, payload and prev; the kind is known
        and the payload is JSON; a run is followed by exactly its findings; complaints are
        numbered 1, 2, …; a conclusion names a complaint not yet concluded. Then that no record
        was removed from the end (SQLite's AUTOINCREMENT counter remembers the highest seq).
        """
        count = 0
        try:
            with self._read() as con:
                problems = [r[0] for r in con.execute("PRAGMA quick_check").fetchall()]
                if problems != ["ok"]:
                    return Verified(False, 0, Broken(0, "file", "账本文件已损坏，SQLite 完整性检查未通过："
                                                     + "；".join(problems[:3])))
                (count,) = con.execute("SELECT COUNT(*) FROM records").fetchone()
                walker = _ChainWalker()
                for row in con.execute("SELECT seq, kind, at, payload, prev, hash FROM records ORDER BY seq"):
                    broken = walker.step(*row)
                    if broken:
                        return Verified(False, count, broken)
                broken = walker.finish()
                if broken:
                    return Verified(False, count, broken)
                highest = con.execute("SELECT seq FROM sqlite_sequence WHERE name = 'records'").fetchone()
                if highest and highest[0] > walker.seq:
                    missing = highest[0] - walker.seq
                    return Verified(False, count, Broken(
                        walker.seq + 1, "missing",
                        f"第 {walker.seq + 1} 条起的 {missing} 条记录被删除（账本末尾缺少记录）。"))
                return Verified(True, count, None, walker.prev)
        except LedgerError as exc:
            return Verified(False, count, Broken(0, "file", exc.message))


def _require(value: Optional[str], what: str) -> None:
    if not (value or "").strip():
        raise LedgerError(f"缺少{what}。", f"请填写{what}，它会原样记入账本。")


def _finding_payload(run_id: str, f: dict) -> dict:
    evidence = []
    for e in f.get("evidence") or []:
        item = {"file": e.get("file"), "page": e.get("page")}
        if item not in evidence:
            evidence.append(item)
    return {"run_id": run_id, "id": f.get("id"), "fingerprint": f.get("fingerprint"), "code": f.get("code"),
            "severity": f.get("severity"), "unit": f.get("unit"), "nominee": f.get("nominee"),
            "nominees": list(f.get("nominees") or []), "message": f.get("message"), "evidence": evidence}


class _Appender:
    """Chains records inside one write transaction; rows go to SQLite in chunks."""

    def __init__(self, con: sqlite3.Connection, last_seq: int, last_hash: str):
        self._con = con
        self.seq = last_seq
        self.prev = last_hash
        self._rows: list[tuple] = []

    @property
    def pending(self) -> int:
        return len(self._rows)

    def add(self, kind: str, at: str, payload: dict) -> int:
        text = canonical(payload)
        self.seq += 1
        digest = record_hash(self.seq, kind, at, text, self.prev)
        self._rows.append((self.seq, kind, at, text, self.prev, digest))
        self.prev = digest
        return self.seq

    def flush(self) -> int:
        n = len(self._rows)
        if n:
            self._con.executemany(
                "INSERT INTO records (seq, kind, at, payload, prev, hash) VALUES (?, ?, ?, ?, ?, ?)", self._rows)
            self._rows = []
        return n


class _ChainWalker:
    """verify()'s state, one record at a time."""

    def __init__(self) -> None:
        self.seq = 0
        self.prev = GENESIS
        self.run: Optional[str] = None
        self.run_seq = 0
        self.findings_left = 0
        self.complaints = 0
        self.concluded: set[int] = set()

    def step(self, seq: int, kind: str, at: str, payload: str, prev: str, digest: str) -> Optional[Broken]:
        expected = self.seq + 1
        if seq != expected:
            if seq > expected:
                gap = f"第 {expected} 条" if seq == expected + 1 else f"第 {expected}–{seq - 1} 条"
                return Broken(seq, kind, f"{gap}记录被删除（第 {seq} 条之前缺少记录）。")
            return Broken(seq, kind, f"记录编号 {seq} 不在应有的位置（应为第 {expected} 条）。")
        if prev != self.prev:
            return Broken(seq, kind, f"第 {seq} 条记录与前一条记录接不上：前一条记录被删除、调换或改动过。")
        if record_hash(seq, kind, at, payload, prev) != digest:
            return Broken(seq, kind, f"第 {seq} 条记录的内容或校验值被改动过（与记录时不符），"
                                     "或者记录的先后次序被调换过。")
        self.seq, self.prev = seq, digest
        if kind not in KINDS:
            return Broken(seq, kind, f"第 {seq} 条记录的类型“{kind}”不是账本的记录类型。")
        try:
            p = json.loads(payload)
        except ValueError:
            return Broken(seq, kind, f"第 {seq} 条记录的内容不是有效的 JSON。")
        if not isinstance(p, dict):
            return Broken(seq, kind, f"第 {seq} 条记录的内容格式不对。")
        if self.findings_left and kind != "finding":
            return Broken(seq, kind, f"第 {self.run_seq} 条记录（运行 {self.run}）登记的发现不完整，"
                                     f"还缺 {self.findings_left} 条。")
        if kind == "run":
            self.run, self.run_seq = p.get("run_id"), seq
            self.findings_left = int(p.get("findings") or 0)
        elif kind == "finding":
            if not self.findings_left or p.get("run_id") != self.run:
                return Broken(seq, kind, f"第 {seq} 条发现记录不属于紧挨在它前面的那次运行。")
            self.findings_left -= 1
        elif kind == "complaint":
            if p.get("number") != self.complaints + 1:
                return Broken(seq, kind, f"第 {seq} 条记录的反映编号 {p.get('number')} 不连续"
                                         f"（应为 {self.complaints + 1}）。")
            self.complaints += 1
        elif kind == "conclusion":
            n = p.get("number")
            if not isinstance(n, int) or not 1 <= n <= self.complaints or n in self.concluded:
                return Broken(seq, kind, f"第 {seq} 条记录的核查结论对应的反映编号 {n} 不存在或已办结。")
            self.concluded.add(n)
        return None

    def finish(self) -> Optional[Broken]:
        if self.findings_left:
            return Broken(self.run_seq, "run", f"第 {self.run_seq} 条记录（运行 {self.run}）登记的发现不完整，"
                                              f"还缺 {self.findings_left} 条（账本末尾缺少记录）。")
        return None
