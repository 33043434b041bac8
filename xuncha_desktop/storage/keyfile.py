"""The workspace key file: a random database key (DEK) wrapped with AES-256-GCM under keys derived from
passphrases with Argon2id (sync.md §3.12). Several slots (the user's passphrase, the office recovery key)
open the same DEK, so changing a passphrase re-wraps one slot and never re-encrypts the database.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from xuncha_desktop.domain.errors import DamagedWorkspace, WorkspaceError, WrongPassphrase
from xuncha_desktop.storage import files

KEYFILE_FORMAT = "xuncha-keyfile"
KEYFILE_VERSION = 1
KEY_SUFFIX = ".key"
PASSPHRASE_SLOT = "passphrase"
RECOVERY_SLOT = "office_recovery"


class PassphraseRejected(WrongPassphrase):
    """No passphrase slot accepts the passphrase (as opposed to a key the database refuses)."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: RFC 9106's second recommendation (64 MiB) with more passes, ≈0.4 s on a
    2-core machine and about half a second on a field laptop."""

    iterations: int = 6
    lanes: int = 4
    memory_kib: int = 64 * 1024

    @staticmethod
    def cheap() -> KdfParams:
        """For tests and throw-away workspaces only: opening must stay fast there."""
        return KdfParams(iterations=1, lanes=1, memory_kib=8)


def keyfile_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + KEY_SUFFIX)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive(secret: str, salt: bytes, p: KdfParams) -> bytes:
    kdf = Argon2id(salt=salt, length=32, iterations=p.iterations, lanes=p.lanes, memory_cost=p.memory_kib)
    return kdf.derive(secret.encode("utf-8"))


def _aad(workspace_id: str, kind: str) -> bytes:
    return f"{KEYFILE_FORMAT}/{workspace_id}/{kind}".encode()


def make_slot(kind: str, secret: str, dek: bytes, workspace_id: str, params: KdfParams) -> dict[str, Any]:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    wrapped = AESGCM(_derive(secret, salt, params)).encrypt(nonce, dek, _aad(workspace_id, kind))
    return {
        "kind": kind,
        "kdf": "argon2id",
        "salt": _b64(salt),
        "iterations": params.iterations,
        "lanes": params.lanes,
        "memory_kib": params.memory_kib,
        "nonce": _b64(nonce),
        "wrapped": _b64(wrapped),
    }


def slot_params(slot: dict[str, Any]) -> KdfParams:
    """The Argon2id cost a passphrase slot was made with."""
    return KdfParams(int(slot["iterations"]), int(slot["lanes"]), int(slot["memory_kib"]))


def make_recovery_slot(dek: bytes, workspace_id: str, recipient: str, office_replica: str) -> dict[str, Any]:
    """The DEK encrypted with age to the office's X25519 recipient: only the office can open it."""
    payload = json.dumps({"workspace_id": workspace_id, "dek": dek.hex()}).encode("ascii")
    wrapped = pyrage.encrypt(payload, [pyrage.x25519.Recipient.from_str(recipient)])
    return {
        "kind": RECOVERY_SLOT,
        "kdf": "age-x25519",
        "recipient": recipient,
        "office_replica": office_replica,
        "wrapped": _b64(wrapped),
    }


def open_recovery_slot(keyfile: KeyFile, identity: str) -> bytes:
    """The DEK from the office recovery slot, decrypted with the office's age identity."""
    slot = keyfile.slot(RECOVERY_SLOT)
    if slot is None:
        raise WorkspaceError(
            "该密钥文件没有巡察办恢复密钥（现场工作库尚未导入巡察办的配置包），无法由巡察办恢复"
        )
    try:
        plain = pyrage.decrypt(_unb64(slot["wrapped"]), [pyrage.x25519.Identity.from_str(identity)])
        data = json.loads(bytes(plain).decode("ascii"))
        dek = bytes.fromhex(data["dek"])
    except pyrage.DecryptError as exc:
        raise WrongPassphrase("该密钥文件的恢复密钥不属于本巡察办，无法恢复") from exc
    except (KeyError, ValueError, TypeError) as exc:
        raise DamagedWorkspace(f"密钥文件中的恢复密钥已损坏：{exc}") from exc
    if data.get("workspace_id") != keyfile.workspace_id or len(dek) != 32:
        raise DamagedWorkspace("密钥文件中的恢复密钥与工作库不匹配")
    return dek


@dataclass(frozen=True)
class KeyFile:
    workspace_id: str
    slots: tuple[dict[str, Any], ...]

    def unlock(self, secret: str) -> bytes:
        """The DEK opened by any slot that accepts `secret`."""
        for slot in self.slots:
            if slot.get("kdf", "argon2id") != "argon2id":
                continue  # the office recovery slot opens only with the office's age identity
            try:
                params = KdfParams(int(slot["iterations"]), int(slot["lanes"]), int(slot["memory_kib"]))
                kek = _derive(secret, _unb64(slot["salt"]), params)
                return AESGCM(kek).decrypt(
                    _unb64(slot["nonce"]), _unb64(slot["wrapped"]), _aad(self.workspace_id, slot["kind"])
                )
            except InvalidTag:
                continue
            except (KeyError, ValueError, TypeError) as exc:
                raise DamagedWorkspace(f"密钥文件内容无效：{exc}") from exc
        raise PassphraseRejected("口令不正确")

    def slot(self, kind: str) -> dict[str, Any] | None:
        return next((s for s in self.slots if s.get("kind") == kind), None)

    def with_slot(self, slot: dict[str, Any]) -> KeyFile:
        """The slot of the same kind replaced in place (the passphrase slot stays first), or added last."""
        if all(s["kind"] != slot["kind"] for s in self.slots):
            return KeyFile(self.workspace_id, (*self.slots, slot))
        return KeyFile(self.workspace_id, tuple(slot if s["kind"] == slot["kind"] else s for s in self.slots))

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": KEYFILE_FORMAT,
                "version": KEYFILE_VERSION,
                "workspace_id": self.workspace_id,
                "slots": list(self.slots),
            },
            ensure_ascii=False,
            indent=1,
        )


def new_dek() -> bytes:
    return secrets.token_bytes(32)


def create_keyfile(workspace_id: str, passphrase: str, dek: bytes, params: KdfParams) -> KeyFile:
    return KeyFile(workspace_id, (make_slot("passphrase", passphrase, dek, workspace_id, params),))


def write_keyfile(path: Path, keyfile: KeyFile) -> None:
    """Atomic: write beside, fsync, rename; a crash never leaves a half key file."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(keyfile.to_json())
            f.flush()
            os.fsync(f.fileno())
        files.replace(tmp, path)  # a key file an antivirus holds: FileHeld, the old key file stays as it was
    except OSError as exc:
        tmp.unlink(missing_ok=True)  # a full or read-only folder leaves no half-written key file behind
        if exc.filename is None:  # a failed write() names no file: say which one
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_keyfile(path: Path) -> KeyFile:
    if not path.is_file():
        raise WorkspaceError(f"找不到工作库的密钥文件“{path.name}”（它必须与工作库文件放在同一文件夹）")
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.strip():
        raise DamagedWorkspace(
            f"密钥文件“{path.name}”是空文件（0 字节），可能在复制或保存时被截断：请放回该工作库原来的密钥文件"
        )
    try:
        data = json.loads(text)
        if data.get("format") != KEYFILE_FORMAT:
            raise DamagedWorkspace(f"“{path.name}”不是本系统的密钥文件")
        if int(data.get("version", 0)) > KEYFILE_VERSION:
            raise WorkspaceError(f"密钥文件“{path.name}”来自更新版本的软件，请先升级本软件")
        return KeyFile(str(data["workspace_id"]), tuple(data["slots"]))
    except (ValueError, KeyError, TypeError) as exc:  # the parser's English text is no use to a user
        raise DamagedWorkspace(
            f"密钥文件“{path.name}”已损坏（内容不是有效的密钥文件）：请放回该工作库原来的密钥文件"
        ) from exc
