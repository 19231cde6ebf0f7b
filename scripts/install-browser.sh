#!/usr/bin/env bash
# Debian's Chromium, the Noto fonts (Devanagari, Cyrillic, emoji flags) and Java (the Nu HTML
# checker) for the browser and HTML tests.
# Never `playwright install`: it downloads a browser from outside the package registries.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-noto-core >/dev/null 2>&1 || missing+=(fonts-noto-core)
# Flags are emoji (regional-indicator pairs): without a colour emoji font they show as letters.
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || missing+=(fonts-noto-color-emoji)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
