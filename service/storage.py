"""Files of the service, by key: originals content-addressed by sha256 (`blobs/<sha[:2]>/<sha>`, written
before the job that reads them is committed), HTML reports (`reports/<bundle>/<job>.html`) and rendered
pages and crops (`pages/<bundle>/<version>/…`). Names live in the database.

Two stores hold them, chosen by `open_store(settings)`: a folder (the data folder, or a path every
machine mounts: the keys are paths under it, as they always were) or an S3-compatible bucket
(`PRECHECK_STORAGE_URL=s3://bucket/prefix`), which every machine of the service reads and writes over
HTTP. Applicants' files go nowhere else; a machine keeps a copy only while it works on it (a private
folder, removed afterwards)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from service.settings import ServiceSettings

CHUNK = 1024 * 1024
DELETE_BATCH = 1000  # S3 DeleteObjects takes at most this many keys a request


class TooLarge(Exception):
    """The upload passed the request size limit."""


def blob_key(sha256: str) -> str:
    return f"blobs/{sha256[:2]}/{sha256}"


def report_key(bundle_id: str, job_id: str) -> str:
    return f"reports/{bundle_id}/{job_id}.html"


def page_key(bundle_id: str, version: int, doc: int, number: int) -> str:
    return f"pages/{bundle_id}/{version}/{doc}-{number}.png"


def bundle_prefixes(bundle_id: str) -> tuple[str, str]:
    """Everything kept of a bundle besides its originals (which other bundles may share)."""
    return f"reports/{bundle_id}", f"pages/{bundle_id}"


def spool(stream: BinaryIO, budget: int, out: BinaryIO) -> tuple[str, int]:
    """Copies the stream to `out`; its sha256 and size. TooLarge past `budget` bytes: the caller
    removes what was written (it holds the file)."""
    h = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > budget:
            raise TooLarge()
        h.update(chunk)
        out.write(chunk)
    return h.hexdigest(), size


@dataclass
class Opened:
    """An object being read: its size (for Content-Length and validators) and its bytes in chunks;
    the source is closed when the chunks end or the iterator is closed."""

    size: int
    chunks: Iterator[bytes]


class Store(ABC):
    """Where the service's files are kept. Keys are relative POSIX paths (see the module's doc)."""

    remote = False  # True: machines share it over the network, so each keeps nothing of it for long

    @abstractmethod
    def put_blob(self, stream: BinaryIO, budget: int) -> tuple[str, int]:
        """Stores an original under its sha256; its sha256 and size. TooLarge past `budget` bytes,
        and then nothing is kept."""

    @abstractmethod
    def put_file(self, key: str, source: Path) -> None:
        """The object appears whole or not at all."""

    @abstractmethod
    def put_bytes(self, key: str, data: bytes) -> None:
        """The object appears whole or not at all, however many requests write it at once."""

    @abstractmethod
    def fetch(self, key: str, target: Path) -> None:
        """A copy of the object at `target` (FileNotFoundError when there is none)."""

    @abstractmethod
    def get_bytes(self, key: str) -> bytes | None:
        """The object's bytes (small objects: pages); None when there is none."""

    @abstractmethod
    def open(self, key: str) -> Opened | None:
        """The object to stream; None when there is none."""

    @abstractmethod
    def size(self, key: str) -> int | None:
        """The object's size; None when there is none."""

    def exists(self, key: str) -> bool:
        return self.size(key) is not None

    @abstractmethod
    def delete(self, key: str) -> None:
        """Gone, or was never there."""

    @abstractmethod
    def delete_prefix(self, prefix: str) -> None:
        """Every object under the folder `prefix` (a key without its last part) gone."""

    @abstractmethod
    def keys(self, prefix: str) -> list[str]:
        """The keys under the folder `prefix`, sorted."""

    def local_path(self, key: str) -> Path | None:
        """The object's file on this machine when the store is a folder and it is there (to link or
        send it as it is); None otherwise."""
        return None


class FolderStore(Store):
    """The keys as paths under a folder: the data folder, or a mount every machine shares."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key

    def path(self, sha256: str) -> Path:
        """The original's file (kept for callers of the former BlobStore)."""
        return self._path(blob_key(sha256))

    def put_blob(self, stream: BinaryIO, budget: int) -> tuple[str, int]:
        folder = self.root / "blobs"
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")  # same file system: renamed into place
        try:
            with os.fdopen(fd, "wb") as out:
                sha, size = spool(stream, budget, out)
                out.flush()
                os.fsync(out.fileno())
            target = self.path(sha)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)  # the same content twice is one file
            return sha, size
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def put_file(self, key: str, source: Path) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                shutil.copyfileobj(src, out, CHUNK)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def put_bytes(self, key: str, data: bytes) -> None:
        write_atomic(self._path(key), data)

    def fetch(self, key: str, target: Path) -> None:
        shutil.copyfile(self._path(key), target)

    def get_bytes(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def open(self, key: str) -> Opened | None:
        try:
            fh = self._path(key).open("rb")
        except FileNotFoundError:
            return None
        return Opened(os.fstat(fh.fileno()).st_size, _file_chunks(fh))

    def size(self, key: str) -> int | None:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> None:
        shutil.rmtree(self._path(prefix), ignore_errors=True)

    def keys(self, prefix: str) -> list[str]:
        base = self._path(prefix)
        if not base.is_dir():
            return []
        return sorted(p.relative_to(self.root).as_posix() for p in base.rglob("*") if p.is_file())

    def local_path(self, key: str) -> Path | None:
        path = self._path(key)
        return path if path.is_file() else None


def _file_chunks(fh: BinaryIO) -> Iterator[bytes]:
    with fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def _missing(exc: Exception) -> bool:
    """An S3 error that says the object is not there (GetObject and HeadObject say it differently)."""
    error = getattr(exc, "response", {}).get("Error", {})
    return str(error.get("Code")) in ("404", "NoSuchKey", "NotFound")


class S3Store(Store):
    """The keys as objects of a bucket under a prefix, on AWS S3 or any S3-compatible server (MinIO,
    Ceph: `endpoint_url`). Credentials come from boto3's usual places (environment, instance role)."""

    remote = True

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None,
                 client: Any | None = None) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        # path-style addressing for other servers: their buckets are rarely DNS names of their own
        config = Config(s3={"addressing_style": "path"} if endpoint_url else {},
                        retries={"max_attempts": 5, "mode": "standard"})
        self.client = client or boto3.session.Session().client("s3", endpoint_url=endpoint_url, config=config)

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _folder(self, prefix: str) -> str:
        return self._key(prefix.strip("/")) + "/"

    def put_blob(self, stream: BinaryIO, budget: int) -> tuple[str, int]:
        from extractor.workdir import private_dir

        # spooled here first: the key is the content's hash, known only at the end; an upload past
        # the budget never reaches the bucket
        with private_dir("upload") as folder:
            spooled = folder / "upload"
            with spooled.open("wb") as out:
                sha, size = spool(stream, budget, out)
            key = blob_key(sha)
            if not self.exists(key):  # the same content twice is one object
                self.put_file(key, spooled)
        return sha, size

    def put_file(self, key: str, source: Path) -> None:
        self.client.upload_file(str(source), self.bucket, self._key(key))

    def put_bytes(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def fetch(self, key: str, target: Path) -> None:
        from botocore.exceptions import ClientError

        try:
            self.client.download_file(self.bucket, self._key(key), str(target))
        except ClientError as exc:
            if _missing(exc):
                raise FileNotFoundError(key) from None
            raise

    def _get(self, key: str) -> Any | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if _missing(exc):
                return None
            raise

    def get_bytes(self, key: str) -> bytes | None:
        got = self._get(key)
        if got is None:
            return None
        with contextlib.closing(got["Body"]) as body:
            data: bytes = body.read()
        return data

    def open(self, key: str) -> Opened | None:
        got = self._get(key)
        if got is None:
            return None
        return Opened(int(got["ContentLength"]), _body_chunks(got["Body"]))

    def size(self, key: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if _missing(exc):
                return None
            raise
        return int(head["ContentLength"])

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def _listed(self, prefix: str) -> Iterator[str]:
        """Full keys under the folder, page by page (a listing answers 1000 at most)."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self._folder(prefix))
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"]

    def delete_prefix(self, prefix: str) -> None:
        for batch in batches(self._listed(prefix), DELETE_BATCH):
            answer = self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True})
            if answer.get("Errors"):
                failed = answer["Errors"][0]
                raise OSError(f"S3 DeleteObjects refused {len(answer['Errors'])} keys: {failed.get('Code')}")

    def keys(self, prefix: str) -> list[str]:
        strip = len(self._key(""))
        return sorted(k[strip:] for k in self._listed(prefix))


def _body_chunks(body: Any) -> Iterator[bytes]:
    with contextlib.closing(body):
        yield from body.iter_chunks(CHUNK)


def batches(items: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def parse_s3_url(url: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` → (bucket, "some/prefix")."""
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    if not bucket:
        raise ValueError(f"存储地址缺少桶名：{url}")
    return bucket, prefix.strip("/")


def open_store(settings: ServiceSettings) -> Store:
    """The store the settings name: the bucket of `s3://…`, else the files folder (the data folder or
    the shared path). Every process of the service (API, workers, CLI) opens its own with this."""
    url = settings.storage_url or ""
    if url.startswith("s3://"):
        bucket, prefix = parse_s3_url(url)
        return S3Store(bucket, prefix, settings.s3_endpoint_url)
    return FolderStore(settings.files_dir)


def write_atomic(target: Path, data: bytes) -> None:
    """The file appears whole or not at all, however many requests write it at once (each through a
    temporary name of its own: a shared one would be taken from under another writer)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def safe_name(given: str, taken: set[str]) -> str:
    """The file name as given (NFC), reduced to its last part (no folders, no ..), unique in `taken`."""
    name = unicodedata.normalize("NFC", given).replace("\\", "/")
    name = PurePosixPath(name).name.strip().lstrip(".") or "未命名文件"
    name = "".join(ch for ch in name if ch >= " " and ch != "\x7f")[:200] or "未命名文件"
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{stem} ({n}).{ext}" if dot and stem else f"{name} ({n})"
        n += 1
    taken.add(candidate)
    return candidate


def materialise(store: Store, files: Iterable[tuple[str, str]], folder: Path) -> list[Path]:
    """The bundle's originals under their names in a private folder: linked from a folder store where
    possible, else copied (fetched from the bucket)."""
    out = []
    for name, sha in files:
        target = folder / name
        source = store.local_path(blob_key(sha))
        if source is not None:
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
        else:
            store.fetch(blob_key(sha), target)
        out.append(target)
    return out
