#!/usr/bin/env bash
# Installs LibreOffice's Writer without a desktop (Debian's libreoffice-writer-nogui), if missing:
# scripts/import_docx.py converts old Word (.doc) and WPS (.wps) files through `soffice --headless`.
set -euo pipefail
command -v soffice >/dev/null && exit 0
echo "安装 LibreOffice（用于导入 .doc 和 .wps 文件）：libreoffice-writer-nogui"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! command -v apt-get >/dev/null; then
  echo "错误：找不到 apt-get。请自行安装 LibreOffice，或把 .doc/.wps 文件在 Word 或 WPS 里另存为 .docx。" >&2
  exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null
