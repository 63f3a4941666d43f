#!/usr/bin/env bash
# Checks that every C++ source of the project is formatted by .clang-format (clang-format 14, Debian 12).
# Lists the files that are not and the command that formats them. Run by ctest as `format`.
set -uo pipefail
cd "$(dirname "$0")/../.."
CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
bad=()
while IFS= read -r f; do
  "$CLANG_FORMAT" --dry-run -Werror "$f" > /dev/null 2>&1 || bad+=("$f")
done < <(git ls-files '*.cpp' '*.h' '*.cu' '*.cuh' 2>/dev/null || find core views app tests -name '*.cpp' -o -name '*.h')
if [ ${#bad[@]} -gt 0 ]; then
  printf 'not formatted by .clang-format (%d files):\n' "${#bad[@]}"; printf '  %s\n' "${bad[@]}"
  echo "fix: $CLANG_FORMAT -i ${bad[*]}"
  exit 1
fi
echo "format: every source file follows .clang-format"
