#!/usr/bin/env bash
# Installs the system packages the tests need on a fresh Debian bookworm machine:
#   - chromium (browser tests; its bundled SwiftShader is also a Vulkan ICD),
#   - mesa-vulkan-drivers from bookworm-backports (lavapipe, Mesa >= 25; Dawn refuses Mesa 22).
# Idempotent: does nothing when everything is already there.
# The backports entry is derived from the machine's own Debian source (same URIs and keyring),
# so no host name is written here.
set -euo pipefail

need_chromium=0; need_lvp=0
[ -x /usr/bin/chromium ] || need_chromium=1
lvp_json=$(ls /usr/share/vulkan/icd.d/lvp_icd*.json 2>/dev/null | head -n1 || true)
if [ -z "$lvp_json" ]; then need_lvp=1; else
  ver=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || echo 0)
  case "$ver" in 2[5-9].*|[3-9][0-9].*) ;; *) need_lvp=1 ;; esac
fi
[ $need_chromium = 0 ] && [ $need_lvp = 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi

bp=/etc/apt/sources.list.d/backports-derived.sources
if [ $need_lvp = 1 ] && [ ! -f "$bp" ]; then
  src=/etc/apt/sources.list.d/debian.sources
  if [ ! -f "$src" ]; then
    echo "setup-system: no $src to derive bookworm-backports from; install mesa-vulkan-drivers >= 25 by hand" >&2
    exit 1
  fi
  # Take the first stanza whose Suites include plain 'bookworm', keep its URIs and keyring.
  awk -v RS= '/Suites:[^\n]*bookworm( |$|\n)/ && !done {print; done=1}' "$src" \
    | sed -E 's/^Suites:.*/Suites: bookworm-backports/' | $SUDO tee "$bp" >/dev/null
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
pkgs=()
[ $need_chromium = 1 ] && pkgs+=(chromium)
[ ${#pkgs[@]} -gt 0 ] && $SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
if [ $need_lvp = 1 ]; then
  $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1
fi
