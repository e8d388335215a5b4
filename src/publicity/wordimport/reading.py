"""Opening a Word document: mammoth's document model, or a Chinese reason why not.

mammoth reads .docx (Office Open XML); .doc and .wps are first converted to .docx by
LibreOffice (``soffice --headless``). An encrypted .docx is not a zip at all but an OLE
compound file holding an ``EncryptedPackage`` stream, which olefile can tell.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import mammoth
import olefile

from ..problems import os_reason

WORD_SUFFIXES = (".docx", ".doc", ".wps")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONVERT_SECONDS = 120
_DAMAGED = "文件已损坏，无法读取（常见于没复制完或被截断的文件）。请在 Word/WPS 里打开它，能打开就另存为 .docx 再导入"
INSTALL_HINT = "运行 make install-office 安装 LibreOffice，或在 Word/WPS 里把文件“另存为”.docx 格式后再导入"


class Refused(Exception):
    """A document that cannot be imported; the message is Chinese and says what to do."""


@dataclass
class Opened:
    document: object  # mammoth.documents.Document
    messages: list[str]  # what mammoth could not read (unknown elements), in its words


def open_document(path: Path) -> Opened:
    data = _read(path)
    if not data:
        raise Refused("文件是空的（0 字节），可能没有保存完整。请重新保存或复制一份再导入")
    if data.startswith(_OLE_MAGIC):
        if _encrypted(data):
            raise Refused("文档设置了打开密码（已加密），无法读取。请在 Word/WPS 里取消密码后另存为 .docx 再导入")
        data = convert_with_libreoffice(path, data)
    elif path.suffix.lower() in (".doc", ".wps") and not zipfile.is_zipfile(io.BytesIO(data)):
        data = convert_with_libreoffice(path, data)
    if data.startswith(b"PK") and not zipfile.is_zipfile(io.BytesIO(data)):
        raise Refused(_DAMAGED)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise Refused("不是 Word 文档（.docx/.doc/.wps）。请在 Word 或 WPS 里打开并另存为 .docx")
    return _mammoth(data)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise Refused(f"文件读不出来：{os_reason(exc)}") from None


def _encrypted(data: bytes) -> bool:
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo")
    except Exception:  # a damaged compound file fails anywhere inside olefile (OSError, ValueError, struct errors)
        raise Refused("文件已损坏（旧版 Word 文件的结构不完整）。请在 Word/WPS 里打开后另存为 .docx 再导入") from None


def _mammoth(data: bytes) -> Opened:
    captured: list = []

    def keep(document):  # mammoth's documented hook hands over its document model
        captured.append(document)
        return document

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if not any(name.startswith("word/") for name in archive.namelist()):
                raise Refused("不是 Word 文档：这是一个压缩包（可能是 Excel、PowerPoint 或 .zip 文件）。请导入 Word 文档")
        result = mammoth.convert_to_html(io.BytesIO(data), transform_document=keep)
    except Refused:
        raise
    except Exception:  # a damaged package fails anywhere inside the reader (zip, XML, relationships)
        raise Refused(_DAMAGED) from None
    return Opened(captured[0], [m.message for m in result.messages])


def office_available() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(path: Path, data: bytes) -> bytes:
    """A .doc or .wps file as .docx bytes, converted by LibreOffice in a folder of its own."""
    soffice = office_available()
    kind = path.suffix.lower().lstrip(".") or "doc"
    if soffice is None:
        raise Refused(f"这是旧格式（.{kind}）的文档，导入需要 LibreOffice，本机没有安装。{INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="publicity-import-") as tmp:
        source = Path(tmp, "document" + (path.suffix.lower() if path.suffix.lower() in (".doc", ".wps") else ".doc"))
        source.write_bytes(data)
        # A profile of its own: a running LibreOffice (or another import) does not block this one.
        profile = Path(tmp, "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "docx:MS Word 2007 XML",
                   "--outdir", tmp, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, env={**os.environ, "HOME": tmp}, check=False)
        except subprocess.TimeoutExpired:
            raise Refused(f"LibreOffice 转换超过 {CONVERT_SECONDS} 秒仍未完成，文件可能已损坏或设置了密码。{INSTALL_HINT}") from None
        converted = source.with_suffix(".docx")
        if not converted.is_file() or converted.stat().st_size == 0:
            raise Refused(f"LibreOffice 无法转换这个 .{kind} 文件：文件可能已损坏、设置了密码，或不是 Word/WPS 文档。"
                          "请在 Word/WPS 里打开它，能打开就另存为 .docx 再导入")
        return converted.read_bytes()
