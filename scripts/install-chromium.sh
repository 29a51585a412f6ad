#!/usr/bin/env bash
# Installs Debian's Chromium for the browser suite (`make test-browser`). Playwright's own browser
# download is not used: the suite drives /usr/bin/chromium. Needs root, or sudo.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null 2>&1 || { echo "Chromium is missing: run 'apt-get install chromium' as root." >&2; exit 1; }
  SUDO="sudo"
fi
echo "Installing Debian's chromium for the browser tests"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
