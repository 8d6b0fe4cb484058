#!/usr/bin/env bash
# Runs a command with a software Vulkan driver selected for Dawn when the machine has no other:
# lavapipe (Mesa >= 25) if installed, else SwiftShader from Debian's chromium. An explicit
# VK_ICD_FILENAMES (or VK_DRIVER_FILES) from the caller wins.
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
if [ -z "${VK_ICD_FILENAMES:-}" ] && [ -z "${VK_DRIVER_FILES:-}" ]; then
  for icd in /usr/share/vulkan/icd.d/lvp_icd.json /usr/share/vulkan/icd.d/lvp_icd.x86_64.json /usr/lib/chromium/vk_swiftshader_icd.json; do
    if [ -f "$icd" ]; then export VK_ICD_FILENAMES="$icd"; break; fi
  done
fi
exec "$@"
