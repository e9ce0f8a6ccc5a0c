#!/usr/bin/env bash
# veraPDF's verdict on a PDF for PDF/UA-1 and PDF/A-2a: per profile, passed and failed rules and checks, and each
# failed rule. A developer's tool, not a test dependency (see docs/decisions/007-pdf-conformance.md).
# Usage: tools/verapdf.sh [file.pdf] [profile…]   default dist/whitepaper.pdf, profiles ua1 2a
# VERAPDF=/path/to/vera overrides where veraPDF is (default: ../shared/tools/verapdf/vera beside the repository).
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-dist/whitepaper.pdf}
shift || true
profiles=("$@")
[ ${#profiles[@]} -gt 0 ] || profiles=(ua1 2a)
vera=${VERAPDF:-../shared/tools/verapdf/vera}
[ -x "$vera" ] || { echo "veraPDF not found at $vera; set VERAPDF=/path/to/vera" >&2; exit 2; }
status=0
for profile in "${profiles[@]}"; do
  # veraPDF exits non-zero for a file that does not conform; the report says why.
  report=$("$vera" -f "$profile" --format xml "$file" 2>/dev/null) || true
  details=$(grep -o '<details [^>]*>' <<<"$report" | head -1 | sed 's/<details //; s/>$//')
  echo "$profile: $details"
  grep -o '<rule [^>]*status="failed"[^>]*>' <<<"$report" | sed 's/.*clause="\([^"]*\)" testNumber="\([^"]*\)".*failedChecks="\([^"]*\)".*/  failed \1-\2 (\3 checks)/' || true
  grep -q 'failedRules="0"' <<<"$details" || status=1
done
exit $status
