#!/usr/bin/env bash
# Installs Debian's nginx if missing, with openssl (the tests' self-signed certificate) and rsync (the test
# of the publish workflow's rsync step): `make serve-nginx` and tests/test_nginx.py run the site under the
# configuration in deploy/nginx/.
# Only the program is used: the package's own service is not started (see policy-rc.d below).
set -euo pipefail
need=()
[ -x /usr/sbin/nginx ] || need+=(nginx)
command -v openssl >/dev/null || need+=(openssl)
command -v rsync >/dev/null || need+=(rsync)
[ ${#need[@]} -eq 0 ] && exit 0
source "$(dirname "$0")/apt-install.sh"
# Debian starts a package's service when it installs it: a web server on port 80 that nothing here uses.
# A policy-rc.d that says no (as container images have) for the length of the install, unless one is there.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $as_root tee /usr/sbin/policy-rc.d >/dev/null
  $as_root chmod 755 /usr/sbin/policy-rc.d
  trap '$as_root rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt_install --no-recommends "安装 nginx 预览和测试所需的软件包" "请自行安装 nginx（/usr/sbin/nginx）、openssl 和 rsync 后再运行。" "${need[@]}"
