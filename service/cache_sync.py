"""The OCR cache shared through the bucket when the service stores its files in S3.

The extractor reads and writes its cache as a local folder (`settings.ocr_cache_dir`). Around a check
the worker brings in, for each file of the bundle, the file's owners list (which entries hold text
read from it) and those entries; after the check it sends the owners lists it added to, with the
entries the bucket does not hold yet, and then removes its local copies of them: the bucket is the
shared copy, and a worker machine keeps no applicant's text once its check is over (管理办法 第十九条:
deleting a bundle purges the bucket and the API machine's folder, not the folders of other machines).

In the bucket the cache keeps the local layout under `ocr-cache/` (extractor/ocr/cache.py):
`owners/<sha[:2]>/<sha>.txt` lists lines `ocr/<key>` or `alias/<key>`, each entry at
`<kind>/<key[:2]>/<key>.json`. A failure to reach the bucket for the cache only costs time (the
pages are read again), so it is logged and the check goes on."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from extractor.ocr.cache import OcrCache
from service.storage import Store

log = logging.getLogger("precheck.cache_sync")

PREFIX = "ocr-cache"
KINDS = ("ocr", "alias")


def owner_path(owner: str) -> str:
    return f"owners/{owner[:2]}/{owner}.txt"


def entry_path(kind: str, key: str) -> str:
    return f"{kind}/{key[:2]}/{key}.json"


def parse_owners(text: str) -> list[str]:
    """The list's valid lines `kind/key`, in order, once each (nothing else is ever fetched or deleted)."""
    seen: dict[str, None] = {}
    for line in text.split():
        kind, _, key = line.partition("/")
        if kind in KINDS and key.isalnum() and key.isascii():
            seen.setdefault(line, None)
    return list(seen)


def _remote_owners(store: Store, owner: str) -> list[str]:
    data = store.get_bytes(f"{PREFIX}/{owner_path(owner)}")
    return parse_owners(data.decode("ascii", "replace")) if data else []


def _local_owners(root: Path, owner: str) -> list[str]:
    try:
        return parse_owners((root / owner_path(owner)).read_text(encoding="ascii", errors="replace"))
    except OSError:
        return []


def _is_sha(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def local_owners(root: Path) -> set[str]:
    """The files that have an owners list in the local cache now."""
    folder = root / "owners"
    if not folder.is_dir():
        return set()
    return {p.stem for p in folder.glob("*/*.txt") if _is_sha(p.stem)}


def pull(store: Store, root: Path, owners: Iterable[str]) -> int:
    """The bucket's entries of these files into the local cache (those not there yet), and their
    owners lists merged into the local ones; how many entries were fetched."""
    cache = OcrCache(root)
    fetched = 0
    for owner in owners:
        for line in _remote_owners(store, owner):
            kind, _, key = line.partition("/")
            target = root / entry_path(kind, key)
            if not target.exists():
                fetched += _fetch_entry(store, line, target)
            if target.exists():
                cache.remember(owner, kind, key)
    return fetched


def _fetch_entry(store: Store, line: str, target: Path) -> int:
    kind, _, key = line.partition("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")  # read whole or not at all
    os.close(fd)
    try:
        store.fetch(f"{PREFIX}/{entry_path(kind, key)}", Path(tmp))
        os.replace(tmp, target)
        return 1
    except FileNotFoundError:
        return 0  # listed but gone (purged meanwhile): the page is read again
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def push(store: Store, root: Path, owners: Iterable[str]) -> int:
    """The local entries of these files that the bucket lacks, then their owners lists (the bucket's
    merged with the local: another worker may have added to them); how many entries were sent.
    Entries go before the list that names them, so a listed entry is always there to fetch."""
    sent = 0
    for owner in owners:
        remote = _remote_owners(store, owner)
        known = set(remote)
        added = []
        for line in _local_owners(root, owner):
            if line in known:
                continue
            kind, _, key = line.partition("/")
            source = root / entry_path(kind, key)
            if not source.is_file():
                continue
            store.put_file(f"{PREFIX}/{entry_path(kind, key)}", source)
            added.append(line)
            sent += 1
        if added:
            store.put_bytes(f"{PREFIX}/{owner_path(owner)}", "".join(f"{x}\n" for x in remote + added).encode("ascii"))
    return sent


def drop_local(root: Path, owners: Iterable[str]) -> None:
    """The local copies of these files' entries and lists removed (the bucket keeps them)."""
    cache = OcrCache(root)
    for owner in owners:
        cache.purge(owner)


def purge(store: Store, owner: str) -> int:
    """Every entry of the file in the bucket removed, and its owners list; how many entries. Nothing
    to do for a folder store: the cache folder there is the one `OcrCache.purge` cleans."""
    if not store.remote:
        return 0
    removed = 0
    for line in _remote_owners(store, owner):
        kind, _, key = line.partition("/")
        store.delete(f"{PREFIX}/{entry_path(kind, key)}")
        removed += 1
    store.delete(f"{PREFIX}/{owner_path(owner)}")
    return removed


@contextlib.contextmanager
def shared_cache(store: Store, root: Path, owners: Iterable[str], enabled: bool = True) -> Iterator[set[str]]:
    """Around a check: the files' cache pulled before, and after it pushed and the local copies
    dropped. The set yielded takes more owners found by the check (archive members, attachments);
    owners lists the check made here are pushed too. A check stopped by SIGTERM or its time limit
    (a BaseException) pushes nothing: the local copies are dropped all the same. A folder store
    shares its cache folder already, and a disabled cache (`PRECHECK_OCR_CACHE=false`) has nothing
    to share: nothing to do."""
    found = set(owners)
    if not store.remote or not enabled:
        yield found
        return
    before = local_owners(root)
    try:
        pulled = pull(store, root, sorted(found))
        log.info("OCR cache: %d entries fetched from storage for %d files", pulled, len(found))
    except Exception as exc:  # only costs time: the pages are read again
        log.warning("OCR cache: fetch from storage failed (%s), pages are read again", type(exc).__name__)
    ok = False
    try:
        yield found
        ok = True
    except Exception:
        ok = True  # the check failed, but what it read is still worth keeping
        raise
    finally:
        involved = sorted(found | (local_owners(root) - before))
        try:
            if ok:
                sent = push(store, root, involved)
                log.info("OCR cache: %d new entries sent to storage", sent)
        except Exception as exc:
            log.warning("OCR cache: sending to storage failed (%s)", type(exc).__name__)
        finally:
            drop_local(root, involved)
