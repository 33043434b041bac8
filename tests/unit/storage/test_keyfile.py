"""The key file on its own (storage/keyfile.py): format version 2 with a slot per user, the version-1 slot,
which slot a sign-in may open, the office recovery slot, and damaged, foreign or newer files."""

from __future__ import annotations

import base64
import errno
import json
import os
import unicodedata
from pathlib import Path

import pyrage
import pytest

from xuncha_desktop.domain.errors import DamagedWorkspace, NoPassphraseYet, WorkspaceError, WrongPassphrase
from xuncha_desktop.storage.keyfile import (
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    USER_SLOT,
    KdfParams,
    KeyFile,
    PassphraseRejected,
    create_keyfile,
    keyfile_path,
    login_tag,
    make_recovery_slot,
    make_slot,
    make_user_slot,
    new_dek,
    open_recovery_slot,
    read_keyfile,
    rewrapped_slot,
    slot_owner,
    slot_params,
    write_keyfile,
)

CHEAP = KdfParams.cheap()
WS = "ws-1"
DEK = bytes(range(32))
LEADER, MEMBER = "组长口令-2025", "组员口令-2025"


def _user(user_id: str, login: str, secret: str, ws: str = WS) -> dict[str, object]:
    return make_user_slot(user_id, login, secret, DEK, ws, CHEAP)


def _two_users() -> KeyFile:
    """The leader (u-1, 张组长) and a member (u-2, liming), each with a passphrase."""
    return KeyFile(WS, (_user("u-1", "张组长", LEADER), _user("u-2", "liming", MEMBER)))


# -- the file's format -----------------------------------------------------------------------------------
def test_a_new_key_file_is_version_2_with_one_slot_naming_nobody(tmp_path: Path) -> None:
    path = tmp_path / "现场工作库.xcdb.key"
    write_keyfile(path, create_keyfile(WS, "u-1", "张组长", LEADER, DEK, CHEAP))
    text = path.read_text("utf-8")
    data = json.loads(text)
    assert (data["format"], data["version"], data["workspace_id"]) == ("xuncha-keyfile", 2, WS)
    [slot] = data["slots"]
    assert set(slot) == {
        "kind", "user_id", "login_tag", "kdf", "salt", "iterations", "lanes", "memory_kib", "nonce", "wrapped"
    }  # fmt: skip
    assert (slot["kind"], slot["user_id"], slot["kdf"]) == (USER_SLOT, "u-1", "argon2id")
    assert (slot["iterations"], slot["lanes"], slot["memory_kib"]) == (1, 1, 8)
    assert slot["login_tag"] == login_tag(WS, "张组长") and "张组长" not in text and LEADER not in text
    assert (len(base64.b64decode(slot["salt"])), len(base64.b64decode(slot["nonce"]))) == (16, 12)
    assert read_keyfile(path) == KeyFile(WS, (slot,))
    assert read_keyfile(path).unlock(LEADER) == DEK
    assert not path.with_name(path.name + ".tmp").exists()


def test_a_file_with_the_passphrase_slot_only_stays_version_1() -> None:
    old = KeyFile(WS, (make_slot(PASSPHRASE_SLOT, LEADER, DEK, WS, CHEAP),))
    assert old.version == 1 and json.loads(old.to_json())["version"] == 1
    assert old.with_slot(_user("u-2", "liming", MEMBER)).version == 2


def test_the_default_cost_is_argon2id_with_64_mib_and_six_passes() -> None:
    assert KdfParams() == KdfParams(iterations=6, lanes=4, memory_kib=65536)
    slot = make_slot(PASSPHRASE_SLOT, LEADER, DEK, WS, KdfParams(2, 1, 64))
    assert slot_params(slot) == KdfParams(2, 1, 64)


def test_the_key_file_lies_beside_the_workspace() -> None:
    assert keyfile_path(Path("甲/现场工作库.xcdb")) == Path("甲/现场工作库.xcdb.key")


def test_a_login_tag_ignores_spaces_and_unicode_form_but_not_the_workspace() -> None:
    composed = unicodedata.normalize("NFC", "张组长")
    decomposed = unicodedata.normalize("NFD", "Zoé")
    assert login_tag(WS, f"  {composed} ") == login_tag(WS, composed)
    assert login_tag(WS, decomposed) == login_tag(WS, unicodedata.normalize("NFC", "Zoé"))
    assert login_tag("ws-2", composed) != login_tag(WS, composed) != login_tag(WS, "liming")
    assert len(login_tag(WS, composed)) == 64


# -- signing in ------------------------------------------------------------------------------------------
def test_a_login_opens_its_own_slot_only() -> None:
    keyfile = _two_users()
    dek, slot = keyfile.sign_in(MEMBER, " liming ")
    assert (dek, slot_owner(slot)) == (DEK, "u-2")
    with pytest.raises(PassphraseRejected, match=r"^口令不正确$") as wrong:
        keyfile.sign_in(LEADER, "liming")  # the leader's passphrase under the member's login
    assert wrong.value.tried == "u-2"


def test_without_a_login_the_passphrase_says_who_signs_in() -> None:
    keyfile = _two_users()
    for login in (None, "", "   "):
        assert slot_owner(keyfile.sign_in(MEMBER, login)[1]) == "u-2"
        assert slot_owner(keyfile.sign_in(LEADER, login)[1]) == "u-1"
    with pytest.raises(PassphraseRejected) as wrong:
        keyfile.sign_in("谁的都不是-2025", None)
    assert wrong.value.tried == ""


def test_a_login_without_a_slot_has_no_passphrase_yet() -> None:
    with pytest.raises(NoPassphraseYet, match="“wangfang”"):
        _two_users().sign_in(MEMBER, " wangfang ")


def test_the_version_1_slot_opens_for_any_login_and_first_without_one() -> None:
    legacy = make_slot(PASSPHRASE_SLOT, LEADER, DEK, WS, CHEAP)
    keyfile = KeyFile(WS, (_user("u-2", "liming", LEADER), legacy))  # the same passphrase twice
    assert keyfile.sign_in(LEADER, None)[1] is legacy
    assert keyfile.sign_in(LEADER, "wangfang")[1] is legacy  # the caller checks the login
    assert keyfile.sign_in(LEADER, "liming")[1]["kind"] == USER_SLOT  # the named slot first
    with pytest.raises(PassphraseRejected) as wrong:
        KeyFile(WS, (legacy,)).sign_in(MEMBER, "wangfang")
    assert wrong.value.tried == PASSPHRASE_SLOT


def test_the_user_id_of_a_slot_cannot_be_edited() -> None:
    member = _user("u-2", "liming", MEMBER)
    forged = KeyFile(WS, ({**member, "user_id": "u-1"},))
    with pytest.raises(PassphraseRejected):
        forged.sign_in(MEMBER, "liming")
    with pytest.raises(PassphraseRejected):
        KeyFile("ws-other", (member,)).unlock(MEMBER)  # nor moved to another workspace


def test_unlocking_takes_only_the_owners_slot() -> None:
    keyfile = _two_users()
    assert keyfile.open_owner("u-2", MEMBER) == DEK
    for owner, secret in (("u-2", LEADER), ("u-9", MEMBER)):
        with pytest.raises(PassphraseRejected) as wrong:
            keyfile.open_owner(owner, secret)
        assert wrong.value.tried == owner
    assert keyfile.owners() == {"u-1", "u-2"}


def test_a_damaged_slot_is_damage_not_a_wrong_passphrase() -> None:
    slot = {**_user("u-2", "liming", MEMBER), "salt": "不是base64"}
    with pytest.raises(DamagedWorkspace, match=r"^密钥文件内容无效："):
        KeyFile(WS, (slot,)).unlock(MEMBER)


# -- changing slots --------------------------------------------------------------------------------------
def test_a_users_new_slot_replaces_the_old_one_in_place() -> None:
    keyfile = _two_users()
    again = keyfile.with_slot(rewrapped_slot(keyfile.slots[1], "新口令-2025", DEK, WS, CHEAP))
    assert [slot_owner(s) for s in again.slots] == ["u-1", "u-2"]
    assert again.slots[1]["login_tag"] == keyfile.slots[1]["login_tag"]
    assert again.open_owner("u-2", "新口令-2025") == DEK
    with pytest.raises(PassphraseRejected):
        again.open_owner("u-2", MEMBER)
    third = again.with_slot(_user("u-3", "wangfang", "王芳口令-2025"))
    assert [slot_owner(s) for s in third.slots] == ["u-1", "u-2", "u-3"]


def test_upgrading_the_version_1_slot_puts_the_users_slot_in_its_place() -> None:
    legacy = make_slot(PASSPHRASE_SLOT, LEADER, DEK, WS, CHEAP)
    recovery = {"kind": RECOVERY_SLOT, "kdf": "age-x25519"}
    member = _user("u-2", "liming", MEMBER)
    keyfile = KeyFile(WS, (legacy, _user("u-1", "张组长", "早先的口令-2025"), member, recovery))
    mine = _user("u-1", "张组长", LEADER)
    upgraded = keyfile.with_user_slot(mine, replaces_legacy=True)
    assert upgraded.slots == (mine, member, recovery)
    assert keyfile.with_user_slot(mine, replaces_legacy=False).slots == (legacy, mine, member, recovery)
    assert KeyFile(WS, (recovery,)).with_user_slot(mine, replaces_legacy=True).slots == (recovery, mine)


# -- the office recovery slot ----------------------------------------------------------------------------
def test_the_recovery_slot_opens_with_the_offices_identity_only() -> None:
    office, stranger = pyrage.x25519.Identity.generate(), pyrage.x25519.Identity.generate()
    slot = make_recovery_slot(DEK, WS, str(office.to_public()), "office-replica")
    assert (slot["kind"], slot["kdf"], slot["office_replica"]) == (
        RECOVERY_SLOT,
        "age-x25519",
        "office-replica",
    )
    assert slot["recipient"] == str(office.to_public())  # the office checks it is its own first
    users = _two_users()
    keyfile = users.with_slot(slot)
    assert keyfile.passphrase_slots() == list(users.slots)  # no passphrase opens it
    assert open_recovery_slot(keyfile, str(office)) == DEK
    with pytest.raises(WrongPassphrase, match=r"^该密钥文件的恢复密钥不属于本巡察办，无法恢复$"):
        open_recovery_slot(keyfile, str(stranger))
    with pytest.raises(
        WorkspaceError,
        match=r"^该密钥文件没有巡察办恢复密钥（现场工作库尚未导入巡察办的配置包），无法由巡察办恢复$",
    ):
        open_recovery_slot(_two_users(), str(office))


def test_a_recovery_slot_of_another_workspace_or_garbled_is_damage() -> None:
    office = pyrage.x25519.Identity.generate()
    recipient = str(office.to_public())
    moved = KeyFile("ws-2", (make_recovery_slot(DEK, WS, recipient, "o"),))
    with pytest.raises(DamagedWorkspace, match=r"^密钥文件中的恢复密钥与工作库不匹配$"):
        open_recovery_slot(moved, str(office))
    short = KeyFile(WS, (make_recovery_slot(DEK[:16], WS, recipient, "o"),))
    with pytest.raises(DamagedWorkspace, match=r"^密钥文件中的恢复密钥与工作库不匹配$"):
        open_recovery_slot(short, str(office))
    garbled = pyrage.encrypt(b'{"workspace_id": "ws-1"}', [pyrage.x25519.Recipient.from_str(recipient)])
    slot = {**make_recovery_slot(DEK, WS, recipient, "o"), "wrapped": base64.b64encode(garbled).decode()}
    with pytest.raises(DamagedWorkspace, match=r"^密钥文件中的恢复密钥已损坏："):
        open_recovery_slot(KeyFile(WS, (slot,)), str(office))


# -- damaged, foreign and newer files --------------------------------------------------------------------
def _read(tmp_path: Path, content: object) -> KeyFile:
    path = tmp_path / "a.xcdb.key"
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return read_keyfile(path)


def test_a_missing_key_file_says_where_it_belongs(tmp_path: Path) -> None:
    with pytest.raises(
        WorkspaceError, match=r"^找不到工作库的密钥文件“a.xcdb.key”（它必须与工作库文件放在同一文件夹）$"
    ):
        read_keyfile(tmp_path / "a.xcdb.key")


def test_a_foreign_file_is_not_a_key_file(tmp_path: Path) -> None:
    for foreign in ({"format": "other", "version": 1, "workspace_id": WS, "slots": []}, ["xuncha-keyfile"]):
        with pytest.raises(DamagedWorkspace) as caught:
            _read(tmp_path, foreign)
        assert "“a.xcdb.key”" in str(caught.value)


def test_a_key_file_of_a_newer_version_asks_for_an_upgrade(tmp_path: Path) -> None:
    newer = {"format": "xuncha-keyfile", "version": 3, "workspace_id": WS, "slots": []}
    with pytest.raises(WorkspaceError) as caught:
        _read(tmp_path, newer)
    assert not isinstance(caught.value, DamagedWorkspace)
    assert str(caught.value) == "密钥文件“a.xcdb.key”来自更新版本的软件，请先升级本软件"
    current = {**newer, "version": 2}
    assert _read(tmp_path, current) == KeyFile(WS, ())
    assert _read(tmp_path, {**newer, "version": 1}).workspace_id == WS
    unversioned = {k: v for k, v in newer.items() if k != "version"}
    assert _read(tmp_path, unversioned) == KeyFile(WS, ())


@pytest.mark.parametrize(
    "content",
    [
        {"format": "xuncha-keyfile", "version": 2, "slots": []},  # no workspace
        {"format": "xuncha-keyfile", "version": "二", "workspace_id": WS, "slots": []},
        {"format": "xuncha-keyfile", "version": 2, "workspace_id": WS, "slots": 7},
        "   \n",
    ],
    ids=["no-workspace", "version-not-a-number", "slots-not-a-list", "blank"],
)
def test_a_key_file_that_is_not_whole_says_so_in_chinese(tmp_path: Path, content: object) -> None:
    with pytest.raises(DamagedWorkspace, match=r"^密钥文件“a\.xcdb\.key”") as caught:
        _read(tmp_path, content)
    assert "已损坏" in str(caught.value) or "空文件" in str(caught.value)


def test_a_key_file_that_cannot_be_written_leaves_the_old_one_and_no_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.xcdb.key"
    write_keyfile(path, _two_users())
    before = path.read_bytes()

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")  # as a failed write: no file named

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError) as caught:
        write_keyfile(path, KeyFile(WS, ()))
    assert (caught.value.errno, caught.value.filename) == (errno.ENOSPC, str(path))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xcdb.key"]


def test_every_new_database_key_is_random() -> None:
    keys = {new_dek() for _ in range(4)}
    assert len(keys) == 4 and {len(k) for k in keys} == {32}


def test_a_second_recovery_slot_replaces_the_first() -> None:
    office = str(pyrage.x25519.Identity.generate().to_public())
    keyfile = _two_users().with_slot(make_recovery_slot(DEK, WS, office, "old-office"))
    again = keyfile.with_slot(make_recovery_slot(DEK, WS, office, "new-office"))
    assert [s["kind"] for s in again.slots] == [USER_SLOT, USER_SLOT, RECOVERY_SLOT]
    assert again.slot(RECOVERY_SLOT)["office_replica"] == "new-office"  # type: ignore[index]


def test_a_passphrase_no_slot_accepts_names_nobody() -> None:
    with pytest.raises(PassphraseRejected, match=r"^口令不正确$") as wrong:
        _two_users().accepting("谁的都不是-2025")
    assert wrong.value.tried == ""


def test_throw_away_workspaces_use_the_cheapest_cost() -> None:
    assert KdfParams.cheap() == KdfParams(iterations=1, lanes=1, memory_kib=8)


# -- key files written by the released version-1 code (tests/fixtures/v1, read only) ----------------------
V1 = Path(__file__).resolve().parents[2] / "fixtures" / "v1"


@pytest.mark.parametrize(
    ("name", "secret"),
    [("field.xcdb.key", "现场口令-v1-fixture"), ("office.xcdb.key", "巡察办口令-v1-fixture")],
)
def test_a_key_file_written_by_version_1_still_opens_with_its_passphrase(name: str, secret: str) -> None:
    """The slot's authenticated data (format, workspace id, kind) must be what version 1 wrote: a change on
    both sides of make and open passes every round trip, and only a file from the old code catches it."""
    keyfile = read_keyfile(V1 / name)
    assert keyfile.version == 1 and [s["kind"] for s in keyfile.passphrase_slots()] == ["passphrase"]
    dek, slot = keyfile.sign_in(secret, None)
    assert len(dek) == 32 and slot["kind"] == "passphrase"
    with pytest.raises(PassphraseRejected):
        keyfile.sign_in(secret + "x", None)
