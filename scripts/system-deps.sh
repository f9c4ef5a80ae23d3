#!/usr/bin/env bash
# System packages the test suite needs beyond PyPI: poppler-utils (pdftotext, pdftoppm) to read
# back the PDFs we render, and the shared libraries Qt loads even on the offscreen platform.
set -euo pipefail
missing=()
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q 'libEGL.so.1' || missing+=(libegl1)
ldconfig -p 2>/dev/null | grep -q 'libxkbcommon.so.0' || missing+=(libxkbcommon0)
ldconfig -p 2>/dev/null | grep -q 'libfontconfig.so.1' || missing+=(libfontconfig1)
ldconfig -p 2>/dev/null | grep -q 'libdbus-1.so.3' || missing+=(libdbus-1-3)
ldconfig -p 2>/dev/null | grep -q 'libGL.so.1' || missing+=(libgl1)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "Please install these system packages first: ${missing[*]}" >&2
    exit 1
fi
