# Sourced by scripts/install-*.sh: installs Debian packages, as root or through sudo.
#   apt_install [--no-recommends] WHY FALLBACK PACKAGE...
# WHY is said before installing; FALLBACK (what to install by hand) when there is no apt-get.
# Another apt run (another install, unattended upgrades) may hold the lock for a while: it is waited for.

as_root=""  # prefix for a command that needs root: sudo unless this runs as root
[ "$(id -u)" -eq 0 ] || as_root="sudo"

apt_install() {
  local recommends=()
  if [ "$1" = "--no-recommends" ]; then recommends=(--no-install-recommends); shift; fi
  local why=$1 fallback=$2
  shift 2
  echo "$why：$*"
  if ! command -v apt-get >/dev/null; then
    echo "错误：找不到 apt-get。$fallback" >&2
    exit 1
  fi
  local apt=($as_root apt-get -o DPkg::Lock::Timeout=600)
  "${apt[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "${recommends[@]}" "$@" >/dev/null
}
