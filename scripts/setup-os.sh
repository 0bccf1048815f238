#!/usr/bin/env bash
# Installs the OS packages Pro4 HMI needs on Debian/Ubuntu, only those missing.
#   scripts/setup-os.sh test   Qt offscreen + CJK font + PostgreSQL (for the multi-station tests)
#   scripts/setup-os.sh demo   Qt in a real window (xcb) + CJK font
# As root it installs them with apt; otherwise it names them in one message and fails.
set -euo pipefail

mode=${1:-test}
qt_core=(libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-wqy-microhei)
qt_window=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
           libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-randr0 xvfb xauth
           alsa-utils)  # aplay: the alarm horn (without it the horn is a visible marker only)
case "$mode" in
  test) wanted=("${qt_core[@]}" postgresql) ;;
  demo) wanted=("${qt_core[@]}" "${qt_window[@]}") ;;
  *) echo "usage: $0 test|demo" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "setup-os: not a Debian-like system; make sure these (or their equivalents) are installed:"
  echo "  ${wanted[*]}"
  exit 0
fi

# Python must be able to make a virtual environment (Debian splits venv/ensurepip out).
if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  wanted+=(python3-venv)
fi

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "setup-os: these OS packages are missing; install them once as root, then re-run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "setup-os: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
