#!/usr/bin/env bash
# Fails on known high or critical vulnerabilities in production dependencies. When the registry's
# audit endpoint cannot be reached (this workplace's mirror answers 405), it says so and passes:
# an unreachable advisory service is not evidence of a vulnerability, and CI must stay offline-safe.
set -uo pipefail
out=$(npm audit --omit=dev --audit-level=high 2>&1)
rc=$?
if [ $rc -eq 0 ]; then echo "$out" | tail -n 3; exit 0; fi
if echo "$out" | grep -q "audit endpoint returned an error\|ENOTFOUND\|ECONNREFUSED\|ETIMEDOUT"; then
  echo "npm audit: advisory endpoint unavailable here; skipped (not a pass on vulnerabilities)"
  exit 0
fi
echo "$out"
exit $rc
