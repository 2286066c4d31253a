#!/usr/bin/env bash
# ensure-engine.sh — make an offline Pulumi engine available.
#
# Prints, as the LAST line of stdout, a directory to prepend to PATH that holds
#   pulumi                          the CLI/engine (built from github.com/pulumi/pulumi/pkg/v3)
#   pulumi-language-nodejs          the Node.js language host (gomod/cmd/pulumi-language-nodejs)
#   pulumi-resource-pulumi-nodejs   the dynamic-provider shim shipped in npm @pulumi/pulumi
#   pulumi-language-yaml            the YAML language host (github.com/pulumi/pulumi-yaml, via yamlmod/)
#   pulumi-language-python          the Python language host (gomod/cmd/pulumi-language-python)
#   pulumi-language-python-exec     its program runner script (same directory)
#   pulumi-language-go              the Go language host (gomod/cmd/pulumi-language-go)
# Everything else goes to stderr.
#
# If a `pulumi` of the pinned version (versions.env) is already on PATH next to
# all of those language hosts, its directory is printed.
# Otherwise the binaries are built with Go from the Go module proxy into
# <repo>/.tools/pulumi-<version>/bin (git-ignored). A finished build is reused: a
# second run takes well under a second. The CLI + Node.js host are rebuilt when
# their pins in versions.env, gomod/go.mod, gomod/go.sum or the language host
# source change; the Python + Go hosts when those pins or their own sources
# change; the YAML host only when its pin or yamlmod/go.mod, go.sum change.
#
# Environment knobs:
#   PULUMI_ENGINE_FORCE_BUILD=1   ignore any pulumi on PATH and any finished build
#   PULUMI_ENGINE_IGNORE_PATH=1   ignore any pulumi on PATH (still reuse our build)
#   GOCACHE / GOMODCACHE          honoured as usual by go (defaults: ~/.cache/go-build, ~/go/pkg/mod)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
gomod="$here/gomod"

log() { printf 'ensure-engine: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# shellcheck source=versions.env
source "$here/versions.env"
: "${PULUMI_VERSION:?versions.env must set PULUMI_VERSION}"
: "${PULUMI_PKG_MODULE_VERSION:?versions.env must set PULUMI_PKG_MODULE_VERSION}"
: "${PULUMI_SDK_MODULE_VERSION:?versions.env must set PULUMI_SDK_MODULE_VERSION}"
: "${PULUMI_YAML_MODULE_VERSION:?versions.env must set PULUMI_YAML_MODULE_VERSION}"
PULUMI_YAML_MODULE="${PULUMI_YAML_MODULE:-github.com/pulumi/pulumi-yaml}"

want="v${PULUMI_VERSION}"
tools="$root/.tools"
prefix="$tools/pulumi-${PULUMI_VERSION}"
bindir="$prefix/bin"
stampfile="$prefix/build.stamp"
yamlmod="$here/yamlmod"
yamlstampfile="$prefix/yaml.stamp"
hostsstampfile="$prefix/hosts.stamp"
# Built by the "hosts" step (own stamp, so editing them does not relink the CLI).
host_bins=(pulumi-language-python pulumi-language-python-exec pulumi-language-go)

# `pulumi version` of a binary, or empty on failure.
version_of() {
	PULUMI_SKIP_UPDATE_CHECK=true PULUMI_HOME="${PULUMI_HOME:-$tools/pulumi-home}" \
		"$1" version 2>/dev/null | tr -d '[:space:]' || true
}

# Copy the dynamic-provider shim from the project's @pulumi/pulumi into $1.
# The shim (`node -e require.resolve('@pulumi/pulumi/cmd/dynamic-provider')`)
# resolves @pulumi/pulumi from the current directory, which the engine sets to
# the program directory, so it does not depend on where the shim itself lives.
ensure_dynamic_shim() {
	local dest="$1" info pkgjson sdkdir src sdkver
	if ! command -v node >/dev/null 2>&1; then
		log "warning: node not on PATH; cannot install pulumi-resource-pulumi-nodejs"
		return 0
	fi
	# One node start for "<package.json path><TAB><version>" (each start costs
	# about 0.1 s of the warm run).
	# shellcheck disable=SC2015 # `|| true` is meant to cover both commands
	info="$(cd "$root" && node -e "const p = require.resolve('@pulumi/pulumi/package.json');
		console.log(p + '\t' + require(p).version)" 2>/dev/null || true)"
	pkgjson="${info%$'\t'*}"
	sdkver="${info##*$'\t'}"
	if [[ -z "$pkgjson" ]]; then
		if [[ -x "$dest/pulumi-resource-pulumi-nodejs" ]]; then
			return 0 # copied earlier; node_modules may be mid-reinstall
		fi
		log "warning: @pulumi/pulumi is not installed under $root (run npm install);"
		log "         dynamic providers need pulumi-resource-pulumi-nodejs — rerun this script afterwards"
		return 0
	fi
	sdkdir="$(dirname "$pkgjson")"
	src="$sdkdir/pulumi-resource-pulumi-nodejs"
	[[ -f "$src" ]] || die "$src not found in @pulumi/pulumi"
	if [[ "$sdkver" != "$PULUMI_VERSION" ]]; then
		log "note: npm @pulumi/pulumi is $sdkver, engine is $PULUMI_VERSION"
	fi
	if ! cmp -s "$src" "$dest/pulumi-resource-pulumi-nodejs" 2>/dev/null; then
		install -m 0755 "$src" "$dest/pulumi-resource-pulumi-nodejs.tmp"
		mv -f "$dest/pulumi-resource-pulumi-nodejs.tmp" "$dest/pulumi-resource-pulumi-nodejs"
		log "installed pulumi-resource-pulumi-nodejs from $sdkdir"
	fi
}

# The pins of versions.env that gomod/ builds depend on: not comments, not the
# YAML host's pin, not the Python SDK pin (only smoke-hosts.sh uses it), so
# documenting or bumping those does not cost a rebuild.
gomod_pins() {
	grep -E '^[A-Z_]+=' "$here/versions.env" | grep -vE '^PULUMI_(YAML|PYTHON_SDK)_' || true
}

# Hash of everything the CLI + Node.js host build depends on, to notice edits.
inputs_stamp() {
	(
		cd "$here"
		gomod_pins
		cat gomod/go.mod gomod/go.sum
		find gomod/cmd/pulumi-language-nodejs -type f -name '*.go' | LC_ALL=C sort | xargs cat
	) | sha256sum | cut -d' ' -f1
}

# Same for the Python and Go hosts: every file of theirs (the Python exec
# script too), with its name.
hosts_inputs_stamp() {
	(
		cd "$here"
		gomod_pins
		cat gomod/go.mod gomod/go.sum
		find gomod/cmd/pulumi-language-python gomod/cmd/pulumi-language-go -type f -print0 |
			LC_ALL=C sort -z | xargs -0 sha256sum
	) | sha256sum | cut -d' ' -f1
}

# Same for the YAML language host.
yaml_inputs_stamp() {
	(
		cd "$here"
		grep -E '^PULUMI_YAML_[A-Z_]*=' versions.env || true
		cat yamlmod/go.mod yamlmod/go.sum
	) | sha256sum | cut -d' ' -f1
}

# 1. A suitable pulumi already on PATH (a real install, or our bin dir via env.sh)?
if [[ -z "${PULUMI_ENGINE_FORCE_BUILD:-}" && -z "${PULUMI_ENGINE_IGNORE_PATH:-}" ]]; then
	if ambient="$(command -v pulumi 2>/dev/null)"; then
		ambient_dir="$(cd "$(dirname "$ambient")" && pwd)"
		complete=1
		for b in pulumi-language-nodejs pulumi-language-yaml "${host_bins[@]}"; do
			[[ -x "$ambient_dir/$b" ]] || complete=""
		done
		if [[ "$ambient_dir" != "$bindir" && -n "$complete" ]] &&
			[[ "$(version_of "$ambient")" == "$want" ]]; then
			log "using pulumi $want found on PATH at $ambient_dir"
			echo "$ambient_dir"
			exit 0
		fi
	fi
fi

mkdir -p "$tools"

# Serialise concurrent callers (e.g. parallel test workers) on one lock.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$tools/.ensure-engine.lock"
	flock 9
fi

stamp="$(inputs_stamp)"
yamlstamp="$(yaml_inputs_stamp)"
hostsstamp="$(hosts_inputs_stamp)"

# 2. Our own finished build? (The CLI, the Python + Go hosts and the YAML host
# are checked separately, so a change to one rebuilds only that part.)
need_cli=1
need_yaml=1
need_hosts=1
if [[ -z "${PULUMI_ENGINE_FORCE_BUILD:-}" ]]; then
	if [[ -x "$bindir/pulumi" && -x "$bindir/pulumi-language-nodejs" &&
		-f "$stampfile" && "$(cat "$stampfile")" == "$stamp" ]] &&
		[[ "$(version_of "$bindir/pulumi")" == "$want" ]]; then
		need_cli=""
	fi
	if [[ -x "$bindir/pulumi-language-yaml" && -f "$yamlstampfile" && "$(cat "$yamlstampfile")" == "$yamlstamp" ]]; then
		need_yaml=""
	fi
	if [[ -f "$hostsstampfile" && "$(cat "$hostsstampfile")" == "$hostsstamp" ]]; then
		need_hosts=""
		for b in "${host_bins[@]}"; do
			[[ -x "$bindir/$b" ]] || need_hosts=1
		done
	fi
fi
if [[ -z "$need_cli" && -z "$need_yaml" && -z "$need_hosts" ]]; then
	ensure_dynamic_shim "$bindir"
	echo "$bindir"
	exit 0
fi

# 3. Build.
gobin="$(command -v go 2>/dev/null || true)"
[[ -z "$gobin" && -x /usr/local/go/bin/go ]] && gobin=/usr/local/go/bin/go
[[ -n "$gobin" ]] || die "go not found (need Go >= ${GO_VERSION_MIN:-1.25})"

# The module pins must agree with versions.env.
grep -qE "^[[:space:]]*github.com/pulumi/pulumi/pkg/v3 ${PULUMI_PKG_MODULE_VERSION}( |$)" "$gomod/go.mod" ||
	die "gomod/go.mod does not require pkg/v3 ${PULUMI_PKG_MODULE_VERSION}"
grep -qE "^[[:space:]]*github.com/pulumi/pulumi/sdk/v3 ${PULUMI_SDK_MODULE_VERSION}( |$)" "$gomod/go.mod" ||
	die "gomod/go.mod does not require sdk/v3 ${PULUMI_SDK_MODULE_VERSION}"
grep -qE "^[[:space:]]*${PULUMI_YAML_MODULE} ${PULUMI_YAML_MODULE_VERSION}( |$)" "$yamlmod/go.mod" ||
	die "yamlmod/go.mod does not require ${PULUMI_YAML_MODULE} ${PULUMI_YAML_MODULE_VERSION}"

staging="$prefix/bin.staging.$$"
rm -rf "$staging"
mkdir -p "$staging" "$bindir"
heartbeat_pid=""
# A cold go build is minutes without a word: say every 30 s that it is still going.
heartbeat_start() {
	# One-second sleeps: a killed loop leaves no long sleep holding our stderr open.
	(n=0; while sleep 1; do n=$((n + 1)); ((n % 30)) || log "  ... still building $1 ($((SECONDS - start)) s so far)"; done) &
	heartbeat_pid=$!
}
heartbeat_stop() {
	[[ -z "$heartbeat_pid" ]] || { kill "$heartbeat_pid" 2>/dev/null || true; wait "$heartbeat_pid" 2>/dev/null || true; }
	heartbeat_pid=""
}
trap 'heartbeat_stop; rm -rf "$staging"' EXIT

if [[ -n "$need_cli" ]]; then
	log "building pulumi $want and pulumi-language-nodejs with $("$gobin" version | cut -d' ' -f3) (this takes several minutes on a cold Go cache)"
	start=$SECONDS

	heartbeat_start "pulumi and pulumi-language-nodejs"
	# -mod=readonly: build exactly what go.mod/go.sum pin; GOTOOLCHAIN=local: never
	# download a Go toolchain; -trimpath/-buildvcs=false: reproducible, no VCS stamp.
	(
		cd "$gomod"
		GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-}" "$gobin" build \
			-mod=readonly -trimpath -buildvcs=false \
			-ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${want}" \
			-o "$staging/" \
			github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
			./cmd/pulumi-language-nodejs
	) >&2 || die "go build failed"
	heartbeat_stop

	got="$(version_of "$staging/pulumi")"
	[[ "$got" == "$want" ]] || die "built pulumi reports version '$got', expected '$want'"

	mv -f "$staging/pulumi" "$bindir/pulumi"
	mv -f "$staging/pulumi-language-nodejs" "$bindir/pulumi-language-nodejs"
	printf '%s\n' "$stamp" >"$stampfile"
	log "built in $((SECONDS - start))s: $(du -sh "$bindir/pulumi" | cut -f1) pulumi, $(du -sh "$bindir/pulumi-language-nodejs" | cut -f1) pulumi-language-nodejs"
fi

if [[ -n "$need_hosts" ]]; then
	log "building pulumi-language-python and pulumi-language-go (our own, gomod/cmd; about 2 min on an empty Go cache, seconds after the CLI build)"
	start=$SECONDS
	heartbeat_start "pulumi-language-python and pulumi-language-go"
	# Same flags as the CLI build; Version.Version is what GetPluginInfo reports.
	(
		cd "$gomod"
		GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-}" "$gobin" build \
			-mod=readonly -trimpath -buildvcs=false \
			-ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${want}" \
			-o "$staging/" \
			./cmd/pulumi-language-python \
			./cmd/pulumi-language-go
	) >&2 || die "go build of pulumi-language-python/-go failed"
	heartbeat_stop
	# The Python host runs programs through this script, found next to itself.
	install -m 0755 "$gomod/cmd/pulumi-language-python/pulumi-language-python-exec" "$staging/"
	for b in "${host_bins[@]}"; do
		mv -f "$staging/$b" "$bindir/$b"
	done
	printf '%s\n' "$hostsstamp" >"$hostsstampfile"
	log "built pulumi-language-python and pulumi-language-go in $((SECONDS - start))s: $(du -sh "$bindir/pulumi-language-python" | cut -f1) + $(du -sh "$bindir/pulumi-language-go" | cut -f1)"
fi

if [[ -n "$need_yaml" ]]; then
	log "building pulumi-language-yaml ${PULUMI_YAML_MODULE_VERSION} (its own module, test/engine/yamlmod; about 2 min on a cold Go cache)"
	start=$SECONDS
	heartbeat_start "pulumi-language-yaml"
	# Version.Version is what the host reports to the engine (GetPluginInfo),
	# set like upstream's goreleaser does; CGO_ENABLED=0 as in its releases.
	(
		cd "$yamlmod"
		CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-}" "$gobin" build \
			-mod=readonly -trimpath -buildvcs=false \
			-ldflags "-s -w -X ${PULUMI_YAML_MODULE}/pkg/version.Version=${PULUMI_YAML_MODULE_VERSION}" \
			-o "$staging/" \
			"${PULUMI_YAML_MODULE}/cmd/pulumi-language-yaml"
	) >&2 || die "go build of pulumi-language-yaml failed"
	heartbeat_stop
	# The host has no --version; the module version stamped into the binary is
	# the check that we built the pinned release.
	"$gobin" version -m "$staging/pulumi-language-yaml" |
		grep -qE "^[[:space:]]+mod[[:space:]]+${PULUMI_YAML_MODULE}[[:space:]]+${PULUMI_YAML_MODULE_VERSION}([[:space:]]|$)" ||
		die "built pulumi-language-yaml is not ${PULUMI_YAML_MODULE} ${PULUMI_YAML_MODULE_VERSION}"
	mv -f "$staging/pulumi-language-yaml" "$bindir/pulumi-language-yaml"
	printf '%s\n' "$yamlstamp" >"$yamlstampfile"
	log "built pulumi-language-yaml in $((SECONDS - start))s: $(du -sh "$bindir/pulumi-language-yaml" | cut -f1)"
fi

ensure_dynamic_shim "$bindir"
echo "$bindir"
