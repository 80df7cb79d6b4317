#!/usr/bin/env bash
# `make story`: tell the README's walk-through against a running system (`make run`),
# exactly as written there: every ```sh block of its "Walk-through" section, in order,
# each command printed before its answer. Set GATEWAY (default http://127.0.0.1:4000),
# PY (a Python with `websockets`), ADMIN_EMAIL and ADMIN_PASSWORD to tell it elsewhere.
set -euo pipefail

readme="$(dirname "$0")/../README.md"
steps=$(awk '
  /^## / { inside = /^## Walk-through/ }
  inside && /^```sh$/ { code = 1; next }
  code && /^```$/ { code = 0; print ""; next }
  code { print }
' "$readme")
if [ -z "$steps" ]; then
  echo "no \`\`\`sh blocks in the Walk-through section of $readme" >&2
  exit 1
fi

# The story's scratch directory (mktemp -d in its first step) is made in ours, removed
# at the end, with the feed client if a step failed while it was still following.
TMPDIR=$(mktemp -d)
export TMPDIR
finish() {
  kill $(jobs -p) 2>/dev/null || true
  rm -rf "$TMPDIR"
}
trap finish EXIT

set -v; source <(printf '%s\n' "$steps"); set +v
