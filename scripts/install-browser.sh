#!/usr/bin/env bash
# Installs what the browser tests and scripts/pdf.py need, if missing: Debian's Chromium, CJK fonts (Noto Sans CJK
# for the screen, Noto Serif CJK for print: the fallback of the 仿宋 and 小标宋 stacks), poppler (PDF pages).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# Read once: under pipefail, `fc-list | grep -q` fails whenever grep stops reading before fc-list ends.
fonts=$(fc-list 2>/dev/null || true)
{ grep -qi "Noto Sans CJK" <<<"$fonts" && grep -qi "Noto Serif CJK" <<<"$fonts"; } || need+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null || need+=(poppler-utils)  # pdftoppm: to look at a printout's pages
[ ${#need[@]} -eq 0 ] && exit 0
source "$(dirname "$0")/apt-install.sh"
apt_install "安装浏览器测试所需的软件包" "请自行安装 Chromium（/usr/bin/chromium）和 Noto CJK 字体后再运行。" "${need[@]}"
