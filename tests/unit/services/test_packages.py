"""services.packages.open_package on hand-made files: every way a file can be wrong is a PackageError that
names the file and the cause, at the exact limits, before anything reads it as a package."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from pathlib import Path

import pyrage
import pytest

from xuncha_desktop.domain.codec import canonical_json, sha256_hex
from xuncha_desktop.services import packages
from xuncha_desktop.services.packages import PackageError, needs_code, open_package

IDENTITY = pyrage.x25519.Identity.generate()
MANIFEST = {"format": "xuncha-sync", "format_version": 1, "files": []}


def zipped(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def sealed(tmp_path: Path, plain: bytes, name: str = "包.xcpkg") -> Path:
    path = tmp_path / name
    path.write_bytes(pyrage.encrypt(plain, [IDENTITY.to_public()]))
    return path


def package(tmp_path: Path, manifest: dict | bytes | None = None, **files: bytes) -> Path:
    """A package whose manifest (MANIFEST unless given) lists `files` (zip paths with / as __)."""
    entries = {name.replace("__", "/"): data for name, data in files.items()}
    if manifest is None:
        listed = [{"path": p, "sha256": sha256_hex(d), "size": len(d), "rows": 0} for p, d in entries.items()]
        manifest = {**MANIFEST, "files": listed}
    body = manifest if isinstance(manifest, bytes) else canonical_json(manifest).encode("utf-8")
    return sealed(tmp_path, zipped({**entries, "manifest.json": body, "manifest.sig": b"sig"}))


def refused(path: Path) -> str:
    with pytest.raises(PackageError) as caught:
        open_package(path, [str(IDENTITY)])
    return str(caught.value)


BLOB = b"attachment bytes"
BLOB_PATH = f"blobs__{sha256_hex(BLOB)[:2]}__{sha256_hex(BLOB)}.bin"


def test_a_sound_package_opens(tmp_path: Path) -> None:
    contents = open_package(package(tmp_path, **{BLOB_PATH: BLOB}), [str(IDENTITY)])
    assert contents.blobs == {sha256_hex(BLOB): BLOB} and contents.revisions == []
    assert contents.signature == b"sig"


# -- the file itself --------------------------------------------------------------------------------------
def test_a_package_that_cannot_be_read_names_the_cause(tmp_path: Path) -> None:
    missing = tmp_path / "不存在.xcpkg"
    assert refused(missing) == f"无法读取“不存在.xcpkg”：{os.strerror(2)}"


def test_a_package_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = package(tmp_path)
    monkeypatch.setattr(packages, "MAX_PACKAGE_BYTES", path.stat().st_size)
    open_package(path, [str(IDENTITY)])  # exactly the limit
    monkeypatch.setattr(packages, "MAX_PACKAGE_BYTES", path.stat().st_size - 1)
    assert refused(path) == "“包.xcpkg”超过允许的大小"


def test_an_empty_unencrypted_zip_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "空.xcpkg"
    path.write_bytes(zipped({}))
    assert path.read_bytes().startswith(b"PK\x05\x06")
    assert refused(path) == "“空.xcpkg”是未加密的压缩文件，不是本系统导出的工作包"


def test_only_a_code_protected_package_needs_a_code(tmp_path: Path) -> None:
    coded = tmp_path / "配置.xcpkg"
    coded.write_bytes(pyrage.passphrase.encrypt(b"x", "配置码"))
    assert needs_code(coded) is True
    assert needs_code(package(tmp_path)) is False
    look_alike = tmp_path / "假.xcpkg"
    look_alike.write_bytes(b"not age\n-> scrypt abc\n")
    assert needs_code(look_alike) is False


# -- the zip inside ---------------------------------------------------------------------------------------
def test_contents_that_are_no_zip_are_refused(tmp_path: Path) -> None:
    assert refused(sealed(tmp_path, b"no zip at all")) == "“包.xcpkg”内容结构损坏"


def test_a_damaged_member_is_refused_not_raised(tmp_path: Path) -> None:
    """A bad CRC inside a well encrypted package (someone who knows the office's public key made it)."""
    raw = bytearray(zipped({"manifest.json": canonical_json(MANIFEST).encode() * 20, "manifest.sig": b"s"}))
    local = raw.find(b"PK\x03\x04")
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<I", raw, local + 14, 12345)
    struct.pack_into("<I", raw, central + 16, 12345)
    assert refused(sealed(tmp_path, bytes(raw))) == "“包.xcpkg”中“manifest.json”已损坏，已拒绝"


def test_a_member_shorter_than_declared_is_refused(tmp_path: Path) -> None:
    raw = bytearray(zipped({"manifest.json": b"{}", "manifest.sig": b"s"}))
    central = raw.find(b"PK\x01\x02")
    size = struct.unpack_from("<I", raw, central + 24)[0]
    struct.pack_into("<I", raw, central + 24, size + 5)
    assert refused(sealed(tmp_path, bytes(raw))) == "“包.xcpkg”中“manifest.json”的大小与声明不符，已拒绝"


def test_the_number_of_files_is_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packages, "MAX_ENTRIES", 3)
    open_package(package(tmp_path, **{BLOB_PATH: BLOB}), [str(IDENTITY)])  # three files
    blob2 = b"second"
    two = {BLOB_PATH: BLOB, f"blobs__{sha256_hex(blob2)[:2]}__{sha256_hex(blob2)}.bin": blob2}
    assert refused(package(tmp_path, **two)) == "“包.xcpkg”包含的文件过多（4 个），已拒绝"


def test_the_unpacked_size_of_all_files_together_is_limited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = package(tmp_path, **{BLOB_PATH: BLOB})
    with zipfile.ZipFile(io.BytesIO(bytes(pyrage.decrypt(path.read_bytes(), [IDENTITY])))) as zf:
        sizes = [i.file_size for i in zf.infolist()]
    assert len(sizes) == 3 and min(sizes) > 0
    monkeypatch.setattr(packages, "MAX_UNCOMPRESSED", sum(sizes))
    open_package(path, [str(IDENTITY)])  # exactly the limit
    monkeypatch.setattr(packages, "MAX_UNCOMPRESSED", sum(sizes) - 1)
    assert refused(path) == "“包.xcpkg”解压后过大，已拒绝"
    monkeypatch.setattr(packages, "MAX_UNCOMPRESSED", max(sizes))  # each file alone would fit
    assert refused(path) == "“包.xcpkg”解压后过大，已拒绝"


@pytest.mark.parametrize(
    ("data", "bomb"),
    [
        (b"\x00" * 2048, False),  # compresses a thousandfold, but small
        (b"\x00" * 1024**2, False),  # exactly 1 MiB
        (b"\x00" * (1024**2 + 1), True),
        (os.urandom(1024**2 + 4096), False),  # large, but does not compress
    ],
)
def test_only_large_files_that_compress_too_well_are_a_zip_bomb(
    tmp_path: Path, data: bytes, bomb: bool
) -> None:
    path = package(tmp_path, **{f"blobs__{sha256_hex(data)[:2]}__{sha256_hex(data)}.bin": data})
    member = f"blobs/{sha256_hex(data)[:2]}/{sha256_hex(data)}.bin"
    if bomb:
        assert refused(path) == f"“包.xcpkg”中“{member}”的压缩比异常（疑似压缩炸弹），已拒绝"
    else:
        assert open_package(path, [str(IDENTITY)]).blobs == {sha256_hex(data): data}


# -- the manifest -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("missing", ["manifest.json", "manifest.sig"])
def test_a_package_without_its_manifest_or_signature_is_refused(tmp_path: Path, missing: str) -> None:
    entries = {"manifest.json": canonical_json(MANIFEST).encode(), "manifest.sig": b"sig"}
    del entries[missing]
    assert refused(sealed(tmp_path, zipped(entries))) == "“包.xcpkg”缺少清单，已拒绝"


@pytest.mark.parametrize("manifest", [b"{not json", b"\xff\xfe{}"])
def test_a_manifest_that_cannot_be_read_is_refused(tmp_path: Path, manifest: bytes) -> None:
    assert refused(package(tmp_path, manifest)) == "“包.xcpkg”的清单无法解析"


def test_a_manifest_of_another_format_is_refused(tmp_path: Path) -> None:
    assert refused(package(tmp_path, {**MANIFEST, "format": "other"})) == "“包.xcpkg”不是本系统的工作包"


def test_a_manifest_without_a_format_version_is_read_as_the_first(tmp_path: Path) -> None:
    old = {k: v for k, v in MANIFEST.items() if k != "format_version"}
    assert open_package(package(tmp_path, old), [str(IDENTITY)]).manifest == old
    newer = {**MANIFEST, "format_version": 2}
    assert refused(package(tmp_path, newer)) == "“包.xcpkg”由更新版本的软件导出（格式版本 2），请先升级本软件"


def test_files_must_be_exactly_those_listed(tmp_path: Path) -> None:
    unlisted = package(tmp_path, MANIFEST, **{BLOB_PATH: BLOB})
    assert refused(unlisted) == "“包.xcpkg”的内容与清单不一致，已拒绝"
    wrong_size = {"path": BLOB_PATH.replace("__", "/"), "sha256": sha256_hex(BLOB), "size": 1, "rows": 0}
    path = package(tmp_path, {**MANIFEST, "files": [wrong_size]}, **{BLOB_PATH: BLOB})
    assert refused(path) == f"“包.xcpkg”中“{BLOB_PATH.replace('__', '/')}”的校验值不符，文件可能被篡改"


def test_a_revision_file_that_is_no_json_lines_is_refused(tmp_path: Path) -> None:
    path = package(tmp_path, **{"revisions__000001.jsonl": b'{"rev_id": "a"}\nnot json\n'})
    assert refused(path) == "“包.xcpkg”中“revisions/000001.jsonl”无法解析"


def test_a_manifest_listing_no_files_holds_none(tmp_path: Path) -> None:
    bare = {k: v for k, v in MANIFEST.items() if k != "files"}
    contents = open_package(package(tmp_path, bare), [str(IDENTITY)])
    assert (contents.revisions, contents.blobs) == ([], {})


# -- who may open it --------------------------------------------------------------------------------------
def test_a_package_for_someone_else_says_so(tmp_path: Path) -> None:
    other = pyrage.x25519.Identity.generate()
    path = tmp_path / "别人的.xcpkg"
    path.write_bytes(pyrage.encrypt(zipped({}), [other.to_public()]))
    assert refused(path) == "“别人的.xcpkg”不是发给本工作库的工作包（可能属于其他巡察办或其他巡察组）"


def test_a_code_protected_package_asks_for_its_code(tmp_path: Path) -> None:
    path = tmp_path / "配置.xcpkg"
    path.write_bytes(pyrage.passphrase.encrypt(zipped({}), "正确的配置码"))
    assert refused(path) == "“配置.xcpkg”需要配置码才能导入，请向巡察办索取"
    with pytest.raises(PackageError) as caught:
        open_package(path, [], "错误的配置码")
    assert str(caught.value) == "“配置.xcpkg”的配置码不正确，或文件已损坏"
