"""The workspace key file: a random database key (DEK) wrapped with AES-256-GCM under keys derived from
passphrases with Argon2id (sync.md §3.12). Several slots open the same DEK, so changing a passphrase
re-wraps one slot and never re-encrypts the database:

- one `user` slot per user who may sign in: the user's id is bound into the slot's authenticated data and
  the slot is found by a tag of the login (the file names nobody);
- the `passphrase` slot of version-1 files, made by `init` before users had their own: it belongs to the
  workspace's first user (services.workspace decides who that is);
- the office recovery slot (age X25519), which only the office can open.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from xuncha_desktop.domain.errors import DamagedWorkspace, NoPassphraseYet, WorkspaceError, WrongPassphrase
from xuncha_desktop.storage import files

KEYFILE_FORMAT = "xuncha-keyfile"
KEYFILE_VERSION = 2  # 2: per-user slots; a file without them is still written as version 1
KEY_SUFFIX = ".key"
PASSPHRASE_SLOT = "passphrase"  # the single slot of version 1: the first user's
USER_SLOT = "user"
RECOVERY_SLOT = "office_recovery"
UNKNOWN = ""  # who a failed sign-in was for, when no slot says it


class PassphraseRejected(WrongPassphrase):
    """No passphrase slot accepts the passphrase (as opposed to a key the database refuses). `tried` is the
    owner (see slot_owner) of the slot the login named, UNKNOWN when none did."""

    def __init__(self, message: str = "口令不正确", tried: str = UNKNOWN) -> None:
        super().__init__(message)
        self.tried = tried


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


def normal_login(login: str) -> str:
    """A login as compared: surrounding spaces dropped, Unicode composed (NFC)."""
    return unicodedata.normalize("NFC", login.strip())


def login_tag(workspace_id: str, login: str) -> str:
    """Finds a user's slot without writing the login into the key file (a tag, not a secret)."""
    return hashlib.sha256(f"{KEYFILE_FORMAT}/{workspace_id}/login/{normal_login(login)}".encode()).hexdigest()


def slot_owner(slot: dict[str, Any]) -> str:
    """Whose slot: the user's id, or PASSPHRASE_SLOT for the version-1 slot of the first user."""
    return str(slot.get("user_id") or "") if slot.get("kind") == USER_SLOT else PASSPHRASE_SLOT


def _slot_aad(workspace_id: str, slot: dict[str, Any]) -> bytes:
    if slot.get("kind") == USER_SLOT:  # the user's id is authenticated: editing it breaks the slot
        return _aad(workspace_id, f"{USER_SLOT}/{slot['user_id']}")
    return _aad(workspace_id, str(slot["kind"]))


def make_slot(kind: str, secret: str, dek: bytes, workspace_id: str, params: KdfParams) -> dict[str, Any]:
    return _wrapped({"kind": kind}, secret, dek, workspace_id, params)


def make_user_slot(
    user_id: str, login: str, secret: str, dek: bytes, workspace_id: str, params: KdfParams
) -> dict[str, Any]:
    """The slot with which `login` (user `user_id`) signs in with `secret`."""
    head = {"kind": USER_SLOT, "user_id": user_id, "login_tag": login_tag(workspace_id, login)}
    return _wrapped(head, secret, dek, workspace_id, params)


def rewrapped_slot(
    slot: dict[str, Any], secret: str, dek: bytes, workspace_id: str, params: KdfParams
) -> dict[str, Any]:
    """The same slot (same owner and login tag) under a new passphrase."""
    head: dict[str, Any] = {k: slot[k] for k in ("kind", "user_id", "login_tag") if k in slot}
    return _wrapped(head, secret, dek, workspace_id, params)


def _wrapped(
    head: dict[str, Any], secret: str, dek: bytes, workspace_id: str, params: KdfParams
) -> dict[str, Any]:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    wrapped = AESGCM(_derive(secret, salt, params)).encrypt(nonce, dek, _slot_aad(workspace_id, head))
    return {
        **head,
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

    def _open(self, slot: dict[str, Any], secret: str) -> bytes | None:
        """The DEK if `secret` opens this passphrase slot, else None."""
        try:
            kek = _derive(secret, _unb64(slot["salt"]), slot_params(slot))
            return AESGCM(kek).decrypt(
                _unb64(slot["nonce"]), _unb64(slot["wrapped"]), _slot_aad(self.workspace_id, slot)
            )
        except InvalidTag:
            return None
        except (KeyError, ValueError, TypeError) as exc:
            raise DamagedWorkspace(f"密钥文件内容无效：{exc}") from exc

    def passphrase_slots(self) -> list[dict[str, Any]]:
        """The slots a passphrase opens (the office recovery slot opens only with the office's identity)."""
        return [s for s in self.slots if s.get("kdf", "argon2id") == "argon2id"]

    def unlock(self, secret: str) -> bytes:
        """The DEK opened by any slot that accepts `secret` (checking a backup; signing in is sign_in)."""
        return self.accepting(secret)[0]

    def accepting(self, secret: str) -> tuple[bytes, dict[str, Any]]:
        """The DEK and the first slot that accepts `secret`."""
        return self._first(self.passphrase_slots(), secret, UNKNOWN)

    def _first(self, slots: list[dict[str, Any]], secret: str, tried: str) -> tuple[bytes, dict[str, Any]]:
        for slot in slots:
            dek = self._open(slot, secret)
            if dek is not None:
                return dek, slot
        raise PassphraseRejected("口令不正确", tried)

    def sign_in(self, secret: str, login: str | None) -> tuple[bytes, dict[str, Any]]:
        """The DEK and the slot that `login`'s passphrase opens. Without a login every slot is tried (the
        version-1 slot first): the passphrase alone then says who signs in. With one, only the slot tagged
        with it and the version-1 slot (whose owner the caller checks against the login)."""
        users = [s for s in self.passphrase_slots() if s.get("kind") == USER_SLOT]
        legacy = [s for s in self.passphrase_slots() if s.get("kind") == PASSPHRASE_SLOT]
        if not login or not normal_login(login):
            return self._first(legacy + users, secret, UNKNOWN)
        tag = login_tag(self.workspace_id, login)
        named = [s for s in users if s.get("login_tag") == tag]
        if not named and not legacy:
            raise NoPassphraseYet(normal_login(login))
        return self._first(named + legacy, secret, slot_owner(named[0]) if named else PASSPHRASE_SLOT)

    def open_owner(self, owner: str, secret: str) -> bytes:
        """The DEK from `owner`'s own slot only (unlocking a signed-in workspace, changing a passphrase)."""
        slot = self.owner_slot(owner)
        dek = self._open(slot, secret) if slot is not None else None
        if dek is None:
            raise PassphraseRejected("口令不正确", owner)
        return dek

    def owner_slot(self, owner: str) -> dict[str, Any] | None:
        return next((s for s in self.passphrase_slots() if slot_owner(s) == owner), None)

    def owners(self) -> set[str]:
        return {slot_owner(s) for s in self.passphrase_slots()}

    def slot(self, kind: str) -> dict[str, Any] | None:
        return next((s for s in self.slots if s.get("kind") == kind), None)

    def with_slot(self, slot: dict[str, Any]) -> KeyFile:
        """The slot of the same owner (a user slot) or kind replaced in place, or added last."""

        def same(s: dict[str, Any]) -> bool:
            if slot["kind"] == USER_SLOT:
                return bool(s.get("kind") == USER_SLOT and s.get("user_id") == slot["user_id"])
            return bool(s.get("kind") == slot["kind"])

        if not any(same(s) for s in self.slots):
            return KeyFile(self.workspace_id, (*self.slots, slot))
        return KeyFile(self.workspace_id, tuple(slot if same(s) else s for s in self.slots))

    def with_user_slot(self, slot: dict[str, Any], *, replaces_legacy: bool) -> KeyFile:
        """A user's slot set; `replaces_legacy` when the user owns the version-1 slot, which then goes (its
        passphrase must stop working) and the new slot takes its place."""
        legacy = self.slot(PASSPHRASE_SLOT)
        if not replaces_legacy or legacy is None:
            return self.with_slot(slot)
        rest = tuple(
            s for s in self.slots if not (s.get("kind") == USER_SLOT and s.get("user_id") == slot["user_id"])
        )
        return KeyFile(self.workspace_id, tuple(slot if s is legacy else s for s in rest))

    @property
    def version(self) -> int:
        return KEYFILE_VERSION if any(s.get("kind") == USER_SLOT for s in self.slots) else 1

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": KEYFILE_FORMAT,
                "version": self.version,
                "workspace_id": self.workspace_id,
                "slots": list(self.slots),
            },
            ensure_ascii=False,
            indent=1,
        )


def new_dek() -> bytes:
    return secrets.token_bytes(32)


def create_keyfile(
    workspace_id: str, user_id: str, login: str, passphrase: str, dek: bytes, params: KdfParams
) -> KeyFile:
    """A new workspace's key file: one slot, its first user's."""
    return KeyFile(workspace_id, (make_user_slot(user_id, login, passphrase, dek, workspace_id, params),))


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
        if not isinstance(data, dict) or data.get("format") != KEYFILE_FORMAT:
            raise DamagedWorkspace(f"“{path.name}”不是本系统的密钥文件")
        if int(data.get("version", 0)) > KEYFILE_VERSION:
            raise WorkspaceError(f"密钥文件“{path.name}”来自更新版本的软件，请先升级本软件")
        return KeyFile(str(data["workspace_id"]), tuple(data["slots"]))
    except (ValueError, KeyError, TypeError) as exc:  # the parser's English text is no use to a user
        raise DamagedWorkspace(
            f"密钥文件“{path.name}”已损坏（内容不是有效的密钥文件）：请放回该工作库原来的密钥文件"
        ) from exc
