#!/usr/bin/env bash
# Ghișeu's developer entry point, for a fresh Debian 12 machine with Go and git:
#   ./dev.sh run  [app flags]   install what is missing, build, open the counter on the demo office
#   ./dev.sh hub  [serve flags] build and serve the demo hub with its booking site (http://localhost:8080)
#   ./dev.sh test               install what is missing, run the whole test suite
#   ./dev.sh screenshots        regenerate docs/screenshots from the real window under Xvfb
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages: the C toolchain and X11/GL headers for Fyne (cgo), Xvfb and
# the X tools and a window manager (openbox) for the end-to-end tests, the
# archivers the tests use, a mail server for the e-mail tests (aiosmtpd) and
# a browser for the booking site's end-to-end test (chromium), the speech of
# the waiting room's calls (espeak-ng) and sox, with which the tests measure it,
# and wmctrl and x11-utils (xmessage), with which tests try to get round the
# waiting room's screen and the kiosk.
packages=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev xvfb xauth xdotool imagemagick
  zip p7zip-full fonts-dejavu-core libasound2-dev openbox python3-aiosmtpd chromium
  espeak-ng sox wmctrl x11-utils)

install_packages() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "dev.sh: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

case "${1:-}" in
run)
  shift
  install_packages
  go build -o bin/ghiseu ./cmd/ghiseu
  if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "dev.sh: no display; run this in a desktop session (or set DISPLAY)" >&2
    exit 1
  fi
  exec bin/ghiseu "$@"
  ;;
test)
  install_packages
  export LANG=en_US.UTF-8 CI="${CI:-}"
  unformatted=$(gofmt -l .)
  [ -z "$unformatted" ] || { echo "not gofmt-formatted: $unformatted" >&2; exit 1; }
  go vet ./...
  # cmd/ghiseu's real-window tests (the focus matrix, people typing, the
  # shift, the soak of 2,000 scans) take over go test's default 10 minutes
  # on 2 cores: about 25 together
  go test -count=1 -timeout 60m ./...
  # the packages with goroutines, once more under the race detector
  go test -count=1 -timeout 30m -race ./app/ ./scanner/camera/ ./store/sync/ ./store/desk/ ./store/hub/ ./store/pack/ ./store/mail/
  ;;
hub)
  # the demo hub with its booking site: e-mail goes to .eml files, shown
  # on the site's demo mailbox; the counters' API on :8443
  shift
  go build -o bin/ghiseu-hub ./cmd/ghiseu-hub
  data="${XDG_DATA_HOME:-$HOME/.local/share}/ghiseu-hub-demo"
  mkdir -p "$data"
  if [ ! -f "$data/hub.db" ]; then
    bin/ghiseu-hub init --db "$data/hub.db" --key "$data/hub.key"
    bin/ghiseu-hub demo --db "$data/hub.db" --key "$data/hub.key"
  fi
  echo "dev.sh: the booking site is on http://localhost:8080 (demo mailbox: http://localhost:8080/demo/posta)" >&2
  exec bin/ghiseu-hub serve --db "$data/hub.db" --key "$data/hub.key" --site "${SITE:-localhost:8080}" \
    --mail-dir "$data/mail" "$@"
  ;;
screenshots)
  install_packages
  export LANG=en_US.UTF-8
  GHISEU_SHOTS="$PWD/docs/screenshots" GHISEU_SCREENSHOTS="$PWD/docs/screenshots" go test -count=1 -timeout 30m -run 'EndToEnd|Shift|Screenshots' ./cmd/ghiseu/
  ;;
*)
  echo "usage: ./dev.sh run [flags] | ./dev.sh hub [flags] | ./dev.sh test | ./dev.sh screenshots" >&2
  exit 2
  ;;
esac
