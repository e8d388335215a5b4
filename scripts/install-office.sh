#!/usr/bin/env bash
# Installs LibreOffice's Writer without a desktop (Debian's libreoffice-writer-nogui), if missing:
# scripts/import_docx.py converts old Word (.doc) and WPS (.wps) files through `soffice --headless`.
set -euo pipefail
command -v soffice >/dev/null && exit 0
source "$(dirname "$0")/apt-install.sh"
apt_install --no-recommends "安装 LibreOffice（用于导入 .doc 和 .wps 文件）" \
  "请自行安装 LibreOffice，或把 .doc/.wps 文件在 Word 或 WPS 里另存为 .docx。" libreoffice-writer-nogui
