#!/usr/bin/env bash
# Installs, with apt, what building and testing transmla-workbench needs on Debian 12 (bookworm).
# Skips what is already installed; safe to run again. clang + libclang-rt-14-dev (libFuzzer, ASan, UBSan
# runtimes) build the fuzz targets that test.sh runs (tests/fuzz). fonts-noto-cjk: the Chinese translation
# renders as boxes without a CJK font (the .deb depends on it too, installer/CMakeLists.txt). clang-format:
# the test suite checks that every source file is in the project's .clang-format style.
# qt6-translations-l10n: Qt's own buttons and dialogs in German / Chinese (the .deb recommends it).
# With TRANSMLA_TORCH_DIR set (a CUDA LibTorch, see build.sh) Debian's CPU LibTorch is not needed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config file
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev libqt6svg6
  libqcustomplot-dev
  libtorch-dev libopenblas0-openmp
  libhdf5-dev nlohmann-json3-dev
  libpcre2-dev libutf8proc-dev
  xvfb xauth
  fonts-noto-cjk qt6-translations-l10n
  clang libclang-rt-14-dev clang-format
)

if [ -n "${TRANSMLA_TORCH_DIR:-}" ]; then
  packages=("${packages[@]/libtorch-dev/}")
  packages=("${packages[@]/libopenblas0-openmp/}")
fi

missing=()
for p in "${packages[@]}"; do
  [ -n "$p" ] || continue
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps-debian: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "deps-debian: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
