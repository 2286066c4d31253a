#!/usr/bin/env bash
# test-sdk.sh — build and unit-test the Python and Go SDKs as their users do.
#
#   provider/scripts/test-sdk.sh [python|go|all]    (default: all)
#
# python  makes (or reuses) a virtualenv under <repo>/.tools (git-ignored),
#         `pip install ./sdk/python pytest pulumi==<pin>` into it, checks the
#         installed package (pulumi-plugin.json, metadata, the pulumi version),
#         runs pytest on sdk/python/tests (Pulumi's Python mocks) and compiles
#         examples/python-*/ with the SDK installed.
# go      in sdk/: go build, go vet and go test ./... (Pulumi's Go mocks, in
#         sdk/go/braket/mocks_test.go); then go build and go vet of
#         examples/go-*/ (which use the SDK through a replace of ../../sdk).
#
# Exits non-zero on the first failure. pytest's "no tests ran" (exit 5) and a
# go test that ran no test count as failures.
#
# Pins: the pulumi Python package is PULUMI_PYTHON_SDK_VERSION from
# test/engine/versions.env (else PULUMI_VERSION there, the engine release), so
# the SDK is tested with the pulumi the engine's Python host runs; pytest is
# PYTEST_VERSION below. The venv is reused while the interpreter and the pins
# are unchanged; the SDK is reinstalled whenever sdk/python changed.
#
# Knobs: PYTHON=python3.12 (interpreter for the venv), PYTEST_VERSION=...,
# PULUMI_PYTHON_VERSION=... (override the pulumi pin).
#
# Go runs with GOTOOLCHAIN=local and -mod=readonly: it builds exactly what
# sdk/go.mod and go.sum pin, from the module cache (or the module proxy).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools="$root/.tools"

log() { printf 'test-sdk: %s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

langs=()
for arg in "$@"; do
	case "$arg" in
	python | go) langs+=("$arg") ;;
	all) langs+=(python go) ;;
	-h | --help) sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$arg' (expected python, go or all)" ;;
	esac
done
[[ ${#langs[@]} -gt 0 ]] || langs=(python go)

# elapsed START: seconds since START ($SECONDS), for the timing lines.
elapsed() { printf '%ss' "$((SECONDS - $1))"; }

# --- python ---------------------------------------------------------------------
pulumi_pin() {
	local v=""
	if [[ -f "$root/test/engine/versions.env" ]]; then
		v="$(
			# shellcheck disable=SC1091 # KEY=VALUE lines, see the file
			source "$root/test/engine/versions.env"
			echo "${PULUMI_PYTHON_SDK_VERSION:-${PULUMI_VERSION:-}}"
		)"
	fi
	echo "${PULUMI_PYTHON_VERSION:-${v:-3.248.0}}"
}

# A hash of what `pip install ./sdk/python` installs (not the tests, not build output).
sdk_python_hash() {
	(
		cd "$root/sdk/python"
		find . \( -name tests -o -name build -o -name dist -o -name '*.egg-info' -o -name __pycache__ -o -name .pytest_cache \) -prune \
			-o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
	) | sha256sum | cut -c1-16
}

test_python() {
	local py="${PYTHON:-python3}" pin pytest_pin pyver venv pins start rc
	pin="$(pulumi_pin)"
	pytest_pin="${PYTEST_VERSION:-9.2.0}"
	command -v "$py" >/dev/null || die "$py not found (set PYTHON=...)"
	pyver="$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
	venv="$tools/sdk-python-venv"
	pins="python=$pyver pulumi=$pin pytest=$pytest_pin"

	start=$SECONDS
	if [[ "$(cat "$venv/.pins" 2>/dev/null)" != "$pins" ]] || ! "$venv/bin/python" -c '' 2>/dev/null; then
		log "creating $venv ($pins)"
		rm -rf "$venv"
		mkdir -p "$tools"
		"$py" -m venv "$venv" || die "$py -m venv failed"
		# setuptools in the venv lets later SDK reinstalls build without fetching it again.
		"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
			"pulumi==$pin" "pytest==$pytest_pin" "setuptools>=70.1" ||
			die "pip install pulumi==$pin pytest==$pytest_pin failed"
		echo "$pins" >"$venv/.pins"
		rm -f "$venv/.sdk-hash"
		log "venv ready in $(elapsed "$start")"
	else
		log "reusing $venv ($pins)"
	fi

	# setuptools keeps build/ between builds, and would put files the generator has
	# since removed into the new wheel: always build from a clean tree.
	local hash
	hash="$(sdk_python_hash)"
	if [[ "$(cat "$venv/.sdk-hash" 2>/dev/null)" != "$hash" ]]; then
		start=$SECONDS
		rm -rf "$root/sdk/python/build" "$root/sdk/python"/*.egg-info
		"$venv/bin/python" -m pip uninstall --quiet --yes pulumi-braket >/dev/null 2>&1 || true
		# As a user installs it (its dependencies resolved like theirs), but with the
		# venv's setuptools, so a warm run needs no index.
		(cd "$root" && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-build-isolation ./sdk/python) ||
			die "pip install ./sdk/python failed"
		rm -rf "$root/sdk/python/build" "$root/sdk/python"/*.egg-info
		echo "$hash" >"$venv/.sdk-hash"
		log "installed ./sdk/python in $(elapsed "$start")"
	fi

	# The installed distribution: what the engine and pip see.
	"$venv/bin/python" - "$pin" <<-'EOF' || die "the installed pulumi-braket is not what it should be"
		import json, sys
		from importlib import metadata, resources
		import pulumi_braket
		pin = sys.argv[1]
		dist = metadata.distribution("pulumi-braket")
		plugin = json.loads(resources.files("pulumi_braket").joinpath("pulumi-plugin.json").read_text())
		problems = []
		if plugin.get("resource") is not True or plugin.get("name") != "braket":
		    problems.append(f"pulumi-plugin.json names no resource plugin braket: {plugin}")
		if plugin.get("version") != dist.version:
		    problems.append(f"pulumi-plugin.json version {plugin.get('version')} != distribution {dist.version}")
		if not (dist.metadata.get_payload() or "").strip():
		    problems.append("the distribution has no long description (README)")
		if metadata.version("pulumi") != pin:
		    problems.append(f"pulumi {metadata.version('pulumi')} installed, {pin} pinned")
		for name in ("get_hybrid_job", "get_hybrid_job_output", "get_hybrid_jobs", "get_hybrid_jobs_output", "HybridJobCompletion", "Provider", "GetHybridJobResult"):
		    if not hasattr(pulumi_braket, name):
		        problems.append(f"pulumi_braket has no {name}")
		if problems:
		    print("\n".join(problems), file=sys.stderr)
		    sys.exit(1)
		print(f"pulumi-braket {dist.version} (plugin {plugin['name']} {plugin['version']}), pulumi {pin}")
	EOF

	# Bytecode (of the tests, the examples) goes to the venv, not into the work tree.
	export PYTHONPYCACHEPREFIX="$venv/pycache"
	start=$SECONDS
	rc=0
	(cd "$root" && "$venv/bin/python" -m pytest -p no:cacheprovider -q sdk/python/tests) || rc=$?
	case "$rc" in
	0) log "pytest passed in $(elapsed "$start")" ;;
	5) die "pytest collected no tests in sdk/python/tests" ;;
	*) die "pytest failed (exit $rc)" ;;
	esac

	local ex found=0
	for ex in "$root"/examples/python-*/; do
		[[ -d "$ex" ]] || continue
		found=1
		(cd "$ex" && find . -name '*.py' -not -path './venv/*' -print0 | xargs -0 -r "$venv/bin/python" -m py_compile) ||
			die "examples/$(basename "$ex") does not compile"
		# Import it too, as far as an import goes without an engine: every name it uses
		# from pulumi_braket must exist.
		"$venv/bin/python" - "$ex" <<-'EOF' || die "examples/$(basename "$ex") uses names pulumi_braket lacks"
			import ast, pathlib, sys
			import pulumi_braket
			missing = set()
			for f in pathlib.Path(sys.argv[1]).glob("*.py"):
			    for node in ast.walk(ast.parse(f.read_text())):
			        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "braket":
			            if not hasattr(pulumi_braket, node.attr):
			                missing.add(f"{f.name}: braket.{node.attr}")
			if missing:
			    print("\n".join(sorted(missing)), file=sys.stderr)
			    sys.exit(1)
		EOF
		log "examples/$(basename "$ex") compiles"
	done
	[[ $found == 1 ]] || log "no examples/python-* to compile"
}

# --- go -------------------------------------------------------------------------
test_go() {
	local gobin start out
	gobin="$(command -v go 2>/dev/null || true)"
	[[ -z "$gobin" && -x /usr/local/go/bin/go ]] && gobin=/usr/local/go/bin/go
	[[ -n "$gobin" ]] || die "go not found (sdk/go.mod needs Go >= $(sed -n 's/^go //p' "$root/sdk/go.mod"))"
	export GOTOOLCHAIN=local GOFLAGS=-mod=readonly

	start=$SECONDS
	(cd "$root/sdk" && "$gobin" build ./... && "$gobin" vet ./...) || die "go build / go vet in sdk/ failed"
	log "sdk: go build + vet in $(elapsed "$start")"

	start=$SECONDS
	out="$(mktemp "${TMPDIR:-/tmp}/test-sdk-go.XXXXXX")"
	# -count=1: really run them (the mocks are cheap), -v for the list of tests.
	if ! (cd "$root/sdk" && "$gobin" test -count=1 -v ./...) >"$out" 2>&1; then
		cat "$out" >&2
		rm -f "$out"
		die "go test in sdk/ failed"
	fi
	local ran
	ran="$(grep -c '^--- PASS' "$out" || true)"
	grep -E '^(ok|FAIL|---)' "$out" | grep -v '^--- PASS' || true
	rm -f "$out"
	[[ "$ran" -gt 0 ]] || die "go test in sdk/ ran no test"
	log "sdk: go test, $ran tests passed in $(elapsed "$start")"

	local ex found=0
	for ex in "$root"/examples/go-*/; do
		[[ -d "$ex" ]] || continue
		found=1
		start=$SECONDS
		(cd "$ex" && "$gobin" build -o /dev/null . && "$gobin" vet .) || die "examples/$(basename "$ex") does not build"
		log "examples/$(basename "$ex") builds ($(elapsed "$start"))"
	done
	[[ $found == 1 ]] || log "no examples/go-* to build"
}

for lang in "${langs[@]}"; do
	"test_$lang"
done
log "${langs[*]}: all passed"
