#!/usr/bin/env bash
# Drives a freshly started Braket emulator with the real AWS CLI, by hand:
#   npx tsc -p . && bash test/awscli/smoke.sh
# Prints each command and its output; exits non-zero if one of the expected
# outcomes is not met. Uses fake keys, an empty AWS config and a temp HOME.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v aws >/dev/null || { echo "aws not on PATH: apt-get install -y awscli" >&2; exit 2; }
[ -f dist/provider/emulator/cli.js ] || { echo "build first: npx tsc -p ." >&2; exit 2; }

sandbox=$(mktemp -d)
out="$sandbox/emulator.out"
node -e 'require("./dist/provider/emulator/cli").runEmulatorCommand(process.argv.slice(1))' -- \
  --port 0 --jobs test/fixtures/jobs.json >"$out" 2>"$sandbox/emulator.err" &
emu_pid=$!
trap 'kill -TERM $emu_pid 2>/dev/null || true; wait $emu_pid 2>/dev/null || true; rm -rf "$sandbox"' EXIT
for _ in $(seq 50); do [ -s "$out" ] && break; sleep 0.1; done
endpoint=$(head -n1 "$out")
echo "emulator: $endpoint"

export HOME="$sandbox" AWS_CONFIG_FILE="$sandbox/config" AWS_SHARED_CREDENTIALS_FILE="$sandbox/credentials"
export AWS_ACCESS_KEY_ID=AKIAEMULATORTEST0001 AWS_SECRET_ACCESS_KEY=fake AWS_EC2_METADATA_DISABLED=true
export AWS_MAX_ATTEMPTS=1 AWS_PAGER=""
unset AWS_PROFILE AWS_CA_BUNDLE AWS_SESSION_TOKEN
touch "$AWS_CONFIG_FILE" "$AWS_SHARED_CREDENTIALS_FILE"
common=(--endpoint-url "$endpoint" --region us-east-1 --output json)
queued=arn:aws:braket:us-east-1:123456789012:job/aec263e3-f3af-443e-8ea8-be94f9ae519a

set -x
aws braket get-job --job-arn "$queued" --additional-attribute-names QueueInfo "${common[@]}"
aws braket search-jobs --filters name=createdAt,operator=GTE,values=2026-11-28T00:00:00Z "${common[@]}"
aws braket cancel-job --job-arn "$queued" "${common[@]}"
set +x
if aws braket get-job --job-arn arn:aws:braket:us-east-1:123456789012:job/00000000-0000-4000-8000-000000000000 "${common[@]}" 2>"$sandbox/err"; then
  echo "expected ResourceNotFoundException" >&2; exit 1
fi
grep -q ResourceNotFoundException "$sandbox/err" && cat "$sandbox/err"
echo "AWS CLI smoke test passed"
