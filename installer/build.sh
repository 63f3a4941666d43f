#!/usr/bin/env bash
# Configures and builds (Release) into ./build. Used by demo.sh and test.sh.
# Debian's CPU LibTorch by default. TRANSMLA_TORCH_DIR=DIR builds against the LibTorch whose
# TorchConfig.cmake is in DIR (e.g. PyTorch's CUDA LibTorch, unzipped: libtorch/share/cmake/Torch);
# TRANSMLA_TORCH_DIR=auto takes the installed pip torch's (python3 -c 'import torch').
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
torch=()
if [ -n "${TRANSMLA_TORCH_DIR:-}" ]; then
  dir=$TRANSMLA_TORCH_DIR
  if [ "$dir" = auto ]; then
    dir=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)' 2>/dev/null)/Torch ||
      { echo "build: TRANSMLA_TORCH_DIR=auto, but python3 cannot import torch" >&2; exit 1; }
  fi
  [ -f "$dir/TorchConfig.cmake" ] || { echo "build: no TorchConfig.cmake in $dir (TRANSMLA_TORCH_DIR)" >&2; exit 1; }
  echo "build: LibTorch from $dir"
  torch=(-DTorch_DIR="$dir")
  # Its libraries are found at run time through the build's RPATH (CMake adds torch's lib folder).
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "${torch[@]}" "$@"
cmake --build build --parallel "$jobs"
