#!/usr/bin/env bash
# examples/demo/start.sh — what `npm start` runs.
#
# Runs the demo program (the repository's Pulumi.yaml -> examples/demo/index.ts) under the real
# Pulumi engine, against a local Braket endpoint seeded with examples/demo/jobs.json, with a
# throw-away local state backend and fake AWS credentials. Needs no AWS account and no network:
# after `npm ci` it builds the package, makes sure the offline Pulumi engine is built
# (test/engine/ensure-engine.sh: about 5 minutes the first time, then under a second), and runs
#   pulumi preview; pulumi up; pulumi stack output --json; pulumi destroy; pulumi stack rm
# Progress goes to stderr; stdout gets only the stack outputs (JSON). Exits non-zero when a step
# fails, naming the step.
#
# Knobs: DEMO_KEEP_TMP=1 keeps the temporary directory (state, emulator log) for a look afterwards.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

say() { printf '\033[1mdemo:\033[0m %s\n' "$*" >&2; }
[[ -t 2 ]] || say() { printf 'demo: %s\n' "$*" >&2; }
die() {
	say "FAILED: $*"
	exit 1
}

# Runs one step; on failure names it and stops.
step() {
	local what="$1"
	shift
	"$@" || die "$what (exit code $?)"
}

[[ -d node_modules/@pulumi/pulumi && -e node_modules/pulumi-braket ]] ||
	die "dependencies are not installed; run \`npm ci\` first"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/pulumi-braket-demo.XXXXXX")"
stack="demo-$(date +%s)-$$"
emulator_pid=""
stack_created=""

cleanup() {
	local rc=$?
	set +e
	trap - EXIT INT TERM
	if [[ -n "$stack_created" ]]; then
		# Normally `pulumi stack rm` below did this; after a failure, drop the stack (its state is
		# in $tmp anyway) and the stack file `pulumi stack init` wrote next to Pulumi.yaml.
		pulumi stack rm --yes --force --stack "$stack" --non-interactive >/dev/null 2>&1
		rm -f "$root/Pulumi.$stack.yaml"
	fi
	if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
		kill "$emulator_pid" 2>/dev/null
		wait "$emulator_pid" 2>/dev/null
	fi
	if [[ -n "${DEMO_KEEP_TMP:-}" ]]; then
		say "kept $tmp (state, emulator log)"
	else
		rm -rf "$tmp"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "1/8 building pulumi-braket: the SDK, the provider, the plugin executable (npm run build)"
step "build" npm run build --silent

say "2/8 making sure the offline Pulumi engine is built (first time: several minutes)"
# shellcheck source=test/engine/env.sh disable=SC1091
source "$root/test/engine/env.sh" || die "the Pulumi engine (test/engine/ensure-engine.sh)"
say "    $(pulumi version) at $(dirname "$(command -v pulumi)")"
version="$(node -p 'require("./package.json").version')"
tarball="$(bash provider/scripts/package-plugin.sh | tail -n 1)" || die "packaging the plugin"
step "pulumi plugin install" pulumi plugin install resource braket "$version" --file "$tarball" --reinstall >&2
say "    installed the braket plugin v$version from $tarball (as a user does: pulumi plugin install --file)"

# A private state backend, fake credentials, and no AWS configuration from this machine.
export PULUMI_BACKEND_URL="file://$tmp/state"
mkdir -p "$tmp/state"
export AWS_ACCESS_KEY_ID="AKIAIOSFODNN7DEMO000"
export AWS_SECRET_ACCESS_KEY="pulumi-braket-demo-fake-secret-access-key"
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ENDPOINT_URL
export AWS_CONFIG_FILE="$tmp/aws-config" AWS_SHARED_CREDENTIALS_FILE="$tmp/aws-credentials"
export AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1
# The AWS SDK warns, once per process, that its 2027 releases will need Node 22; this package
# supports Node 20, so keep that advisory out of the demo's output.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

say "3/8 creating stack $stack (local backend in $tmp/state)"
step "pulumi stack init" pulumi stack init "$stack" --no-select --non-interactive >&2
stack_created=1
jobs_file="$here/jobs.json"
arn_of() { node -e 'const [f, n] = process.argv.slice(1); const j = require(f).find((j) => j.jobName === n); if (!j) process.exit(1); console.log(j.jobArn);' "$jobs_file" "$1"; }
completed_arn="$(arn_of vqe-h2-sto3g-sv1)" || die "reading $jobs_file"
running_arn="$(arn_of qaoa-maxcut-forte-p2)" || die "reading $jobs_file"
failed_arn="$(arn_of grover-search-5q)" || die "reading $jobs_file"
config_set() { step "pulumi config set $1" pulumi config set --stack "$stack" --non-interactive "$1" "$2"; }
config_set completedJobArn "$completed_arn"
config_set runningJobArn "$running_arn"
config_set failedJobArn "$failed_arn"
say "    completedJobArn = $completed_arn"
say "    runningJobArn   = $running_arn (RUNNING; COMPLETED about 20 s after the endpoint starts)"
say "    failedJobArn    = $failed_arn"

say "4/8 starting the local Braket endpoint with examples/demo/jobs.json"
# In a session of its own where setsid exists, so that a Ctrl-C in the terminal reaches pulumi (which
# then lets the gate finish) but not the endpoint the gate is polling; cleanup stops it.
detach=()
command -v setsid >/dev/null 2>&1 && detach=(setsid)
${detach[@]+"${detach[@]}"} node dist/provider/cli.js emulator --port 0 --jobs "$jobs_file" >"$tmp/emulator.out" 2>"$tmp/emulator.log" &
emulator_pid=$!
endpoint=""
for _ in $(seq 100); do
	endpoint="$(head -n 1 "$tmp/emulator.out" 2>/dev/null || true)"
	[[ -n "$endpoint" ]] && break
	kill -0 "$emulator_pid" 2>/dev/null || {
		cat "$tmp/emulator.log" >&2
		die "the Braket emulator exited"
	}
	sleep 0.1
done
[[ "$endpoint" == http://* ]] || die "the Braket emulator printed no URL in 10 s"
export AWS_ENDPOINT_URL_BRAKET="$endpoint"
say "    AWS_ENDPOINT_URL_BRAKET=$endpoint"

say "5/8 pulumi preview: reads the three jobs; the gate does not wait"
step "pulumi preview" pulumi preview --stack "$stack" --non-interactive >&2

say "6/8 pulumi up: waits until the running job has COMPLETED"
step "pulumi up" pulumi up --yes --skip-preview --stack "$stack" --non-interactive >&2

say "7/8 stack outputs (stdout):"
step "pulumi stack output" pulumi stack output --json --stack "$stack" --non-interactive >"$tmp/outputs.json"
cat "$tmp/outputs.json"
# shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
node -e '
const o = require(process.argv[1]);
const say = (s) => process.stderr.write(`demo:     ${s}\n`);
say(`completed: ${o.completed.jobName} is ${o.completed.status}; results at ${o.completed.resultsS3Uri}`);
say(`running:   ${o.running.jobName} was ${o.running.status} when the program read it`);
say(`gate:      passed once ${o.gate.jobName} was ${o.gate.status} (endedAt ${o.gate.endedAt}); results at ${o.gate.resultsS3Uri}`);
say(`failed:    ${o.failed.jobName} is ${o.failed.status}: ${o.failed.failureReason}`);
' "$tmp/outputs.json" || die "reading the stack outputs"

say "8/8 pulumi destroy and pulumi stack rm"
step "pulumi destroy" pulumi destroy --yes --skip-preview --stack "$stack" --non-interactive >&2
step "pulumi stack rm" pulumi stack rm --yes --stack "$stack" --non-interactive >&2
stack_created=""
say "done"
