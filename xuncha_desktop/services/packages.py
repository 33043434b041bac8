"""The work-package container (sync.md §3.5): a ZIP of a signed manifest, revisions and attachment blobs,
encrypted with age (X25519 recipients, or a one-time code for first provisioning) and written atomically.

Reading is defensive: every way a file can be wrong (not a package, addressed to someone else, truncated,
tampered, a zip bomb, unexpected paths, a newer format) becomes a PackageError with a Chinese reason,
before anything touches a workspace.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from xuncha_desktop.domain.codec import canonical_json, sha256_hex
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.storage import faults, files
from xuncha_desktop.storage.workspace_lock import belongs_to_a_workspace

FORMAT = "xuncha-sync"
FORMAT_VERSION = 1
SUFFIX = ".xcpkg"
AGE_MAGIC = b"age-encryption.org/v1"
MAX_PACKAGE_BYTES = 2 * 1024**3
MAX_ENTRIES = 200_000
MAX_UNCOMPRESSED = 4 * 1024**3
MAX_RATIO = 200  # larger compression ratios are treated as a zip bomb
REVISIONS_PER_FILE = 20_000
_ENTRY = re.compile(
    r"^(manifest\.json|manifest\.sig|revisions/\d{6}\.jsonl|blobs/[0-9a-f]{2}/[0-9a-f]{64}\.bin)$"
)


class PackageError(XunchaError):
    """A package that cannot be imported; the message names the cause in Chinese."""


@dataclass(frozen=True)
class PackageContents:
    manifest: dict[str, Any]
    manifest_bytes: bytes
    signature: bytes
    revisions: list[dict[str, Any]]
    blobs: dict[str, bytes]

    @property
    def manifest_sha256(self) -> str:
        return sha256_hex(self.manifest_bytes)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def write_package(
    target: Path,
    manifest: dict[str, Any],
    revisions: Sequence[dict[str, Any]],
    blobs: dict[str, bytes],
    sign_key: Ed25519PrivateKey,
    *,
    recipients: Sequence[str] = (),
    code: str | None = None,
) -> int:
    """Write the encrypted package atomically; returns its size in bytes."""
    buffer = io.BytesIO()
    files: list[dict[str, Any]] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for n, start in enumerate(range(0, max(len(revisions), 1), REVISIONS_PER_FILE), start=1):
            chunk = revisions[start : start + REVISIONS_PER_FILE]
            data = "".join(canonical_json(r) + "\n" for r in chunk).encode("utf-8")
            name = f"revisions/{n:06d}.jsonl"
            zf.writestr(name, data)
            files.append({"path": name, "sha256": sha256_hex(data), "size": len(data), "rows": len(chunk)})
        for digest, data in sorted(blobs.items()):
            name = f"blobs/{digest[:2]}/{digest}.bin"
            zf.writestr(name, data)
            files.append({"path": name, "sha256": digest, "size": len(data), "rows": 0})
        manifest = {**manifest, "format": FORMAT, "format_version": FORMAT_VERSION, "files": files}
        manifest_bytes = canonical_json(manifest).encode("utf-8")
        zf.writestr("manifest.json", manifest_bytes)
        zf.writestr("manifest.sig", sign_key.sign(manifest_bytes))
    plain = buffer.getvalue()
    if code is not None:
        encrypted = pyrage.passphrase.encrypt(plain, code)
    else:
        encrypted = pyrage.encrypt(plain, [pyrage.x25519.Recipient.from_str(r) for r in recipients])
    _atomic_write(target, encrypted)
    return len(encrypted)


def _atomic_write(target: Path, data: bytes) -> None:
    """Write beside, fsync, rename: a full USB stick or a crash never leaves half a package behind."""
    if belongs_to_a_workspace(target):
        raise PackageError(f"“{target.name}”是工作库的文件，不能用作工作包文件，请另选文件名")
    partial = target.with_name(target.name + ".part")
    try:
        with open(partial, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        files.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise faults.writing(exc, target) from exc  # a full or read-only USB stick, said in Chinese
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def needs_code(path: Path) -> bool:
    """True for packages protected by a one-time code (first provisioning of a laptop)."""
    if belongs_to_a_workspace(path):
        return False  # never opened by path: open_package rejects it
    with open(path, "rb") as f:
        head = f.read(512)
    return head.startswith(AGE_MAGIC) and b"\n-> scrypt " in head


def _sniff(data: bytes, name: str) -> None:
    if data.startswith(AGE_MAGIC):
        return
    if data.startswith(b"SQLite format 3\x00"):
        raise PackageError(f"“{name}”是 SQLite 数据库文件，不是工作包")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        raise PackageError(f"“{name}”是未加密的压缩文件，不是本系统导出的工作包")
    if not data:
        raise PackageError(f"“{name}”是空文件")
    raise PackageError(f"“{name}”不是本系统的工作包（文件格式无法识别）")


def _decrypt(data: bytes, name: str, identities: Sequence[str], code: str | None) -> bytes:
    scrypt = b"\n-> scrypt " in data[:512]
    try:
        if scrypt:
            if not code:
                raise PackageError(f"“{name}”需要配置码才能导入，请向巡察办索取")
            return bytes(pyrage.passphrase.decrypt(data, code))
        keys = [pyrage.x25519.Identity.from_str(i) for i in identities]
        return bytes(pyrage.decrypt(data, keys))
    except pyrage.DecryptError as exc:
        text = str(exc)
        if scrypt:
            raise PackageError(f"“{name}”的配置码不正确，或文件已损坏") from exc
        if "No matching keys" in text:
            raise PackageError(f"“{name}”不是发给本工作库的工作包（可能属于其他巡察办或其他巡察组）") from exc
        raise PackageError(f"“{name}”已损坏或被篡改（解密校验失败），请重新导出") from exc


def _read_zip(plain: bytes, name: str) -> dict[str, bytes]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(plain))
    except zipfile.BadZipFile as exc:
        raise PackageError(f"“{name}”内容结构损坏") from exc
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackageError(f"“{name}”包含的文件过多（{len(infos)} 个），已拒绝")
    total = 0
    for info in infos:
        if not _ENTRY.match(info.filename):
            raise PackageError(f"“{name}”包含不允许的路径“{info.filename}”，已拒绝")
        total += info.file_size
        if (
            info.compress_size
            and info.file_size / info.compress_size > MAX_RATIO
            and info.file_size > 1024**2
        ):
            raise PackageError(f"“{name}”中“{info.filename}”的压缩比异常（疑似压缩炸弹），已拒绝")
    if total > MAX_UNCOMPRESSED:
        raise PackageError(f"“{name}”解压后过大，已拒绝")
    entries: dict[str, bytes] = {}
    for info in infos:
        try:
            with zf.open(info) as member:
                data = member.read(info.file_size + 1)  # never trust the declared size beyond one byte
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a bad CRC or compressed stream
            raise PackageError(f"“{name}”中“{info.filename}”已损坏，已拒绝") from exc
        if len(data) != info.file_size:
            raise PackageError(f"“{name}”中“{info.filename}”的大小与声明不符，已拒绝")
        entries[info.filename] = data
    return entries


def open_package(path: Path, identities: Sequence[str], code: str | None = None) -> PackageContents:
    """Decrypt, unpack and check a package's integrity; nothing is written anywhere."""
    name = path.name
    if belongs_to_a_workspace(path):  # reading it by path would drop this process's SQLite locks on it
        raise PackageError(f"“{name}”是工作库的文件，不是工作包，已拒绝")
    try:
        size = path.stat().st_size
        if size > MAX_PACKAGE_BYTES:
            raise PackageError(f"“{name}”超过允许的大小")
        data = path.read_bytes()
    except OSError as exc:
        raise PackageError(f"无法读取“{name}”：{exc.strerror or exc}") from exc
    _sniff(data, name)
    entries = _read_zip(_decrypt(data, name, identities, code), name)
    if "manifest.json" not in entries or "manifest.sig" not in entries:
        raise PackageError(f"“{name}”缺少清单，已拒绝")
    manifest_bytes = entries["manifest.json"]
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PackageError(f"“{name}”的清单无法解析") from exc
    if manifest.get("format") != FORMAT:
        raise PackageError(f"“{name}”不是本系统的工作包")
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise PackageError(
            f"“{name}”由更新版本的软件导出（格式版本 {manifest.get('format_version')}），请先升级本软件"
        )
    listed = {f["path"]: f for f in manifest.get("files", [])}
    present = {n for n in entries if n not in ("manifest.json", "manifest.sig")}
    if set(listed) != present:
        raise PackageError(f"“{name}”的内容与清单不一致，已拒绝")
    revisions: list[dict[str, Any]] = []
    blobs: dict[str, bytes] = {}
    for path_in_zip, info in sorted(listed.items()):
        data = entries[path_in_zip]
        if sha256_hex(data) != info.get("sha256") or len(data) != info.get("size"):
            raise PackageError(f"“{name}”中“{path_in_zip}”的校验值不符，文件可能被篡改")
        if path_in_zip.startswith("revisions/"):
            try:
                revisions.extend(json.loads(line) for line in data.decode("utf-8").splitlines() if line)
            except (UnicodeDecodeError, ValueError) as exc:
                raise PackageError(f"“{name}”中“{path_in_zip}”无法解析") from exc
        else:
            blobs[info["sha256"]] = data
    return PackageContents(manifest, manifest_bytes, entries["manifest.sig"], revisions, blobs)


def verify_signature(public_key: bytes, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def revision_lines(rows: Iterable[Any], parents: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Stored sync_revision rows as package lines (header fields, parents, body, signature)."""
    return [
        {
            "rev_id": r.rev_id,
            "record_type": r.record_type,
            "record_id": r.record_id,
            "parents": sorted(parents.get(r.rev_id, [])),
            "origin_replica": r.origin_replica,
            "origin_incarnation": r.origin_incarnation,
            "origin_counter": r.origin_counter,
            "hlc": r.hlc,
            "author_user": r.author_user,
            "schema_version": r.schema_version,
            "deleted": bool(r.deleted),
            "body": r.body,
            "body_sha256": r.body_sha256,
            "origin_sig": b64(r.origin_sig),
        }
        for r in rows
    ]
