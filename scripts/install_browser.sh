#!/usr/bin/env bash
# Installs what tests/test_browser.py needs: Debian's Chromium and its matching ChromeDriver.
# The test drives chromedriver over its W3C WebDriver HTTP API with Python's standard library,
# so no Python browser package (Selenium/Playwright) and no browser download is needed.
# Idempotent: does nothing when both binaries are already there. Needs root (or sudo) and apt.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "install_browser: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) and chromedriver already installed"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium chromium-driver

/usr/bin/chromium --version
/usr/bin/chromedriver --version
