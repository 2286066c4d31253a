#!/usr/bin/env bash
# smoke-hosts.sh — check our Python and Go language hosts under the real engine.
#
#   bash test/engine/smoke-hosts.sh            # both
#   bash test/engine/smoke-hosts.sh python     # or: go
#
# For each language, a trivial program that needs no resource plugin (it only
# exports "hello" and two config values, one secret) goes through
# preview, up (outputs checked), refresh, a failing up (the program's own
# error text must reach the user and the update must fail) and destroy, in a
# throw-away project with a file:// backend. Exits non-zero on the first
# failure, after printing the failing command's output.
#
# Needs: the engine (source env.sh builds it if needed), python3 (or $PYTHON)
# and go on PATH. The Python SDK is installed once from PyPI into a virtualenv
# cached under <repo>/.tools (git-ignored), pinned by PULUMI_PYTHON_SDK_VERSION
# in versions.env. The Go program builds offline from the Go module cache that
# the engine build filled (same module versions as gomod/, so also the same
# Go build cache entries).
#
# Knobs: PYTHON=python3.12 (interpreter for the venv), SMOKE_KEEP=1 (keep the
# work directory for inspection).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
langs=("$@")
[[ ${#langs[@]} -gt 0 ]] || langs=(python go)

say() { printf 'smoke-hosts: %s\n' "$*" >&2; }
die() { say "FAIL: $*"; exit 1; }

# shellcheck source=versions.env
source "$here/versions.env"
: "${PULUMI_PYTHON_SDK_VERSION:?versions.env must set PULUMI_PYTHON_SDK_VERSION}"
# shellcheck source=env.sh
source "$here/env.sh" || die "could not set up the engine"
for b in pulumi-language-python pulumi-language-python-exec pulumi-language-go; do
	command -v "$b" >/dev/null || die "$b is not on PATH after env.sh"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/smoke-hosts.XXXXXX")"
if [[ -n "${SMOKE_KEEP:-}" ]]; then
	trap 'say "work directory kept: $work"' EXIT
else
	trap 'rm -rf "$work"' EXIT
fi
export PULUMI_BACKEND_URL="file://$work/state"
mkdir -p "$work/state"

# p ARGS...: run pulumi, output to $work/out; on failure show it and stop.
p() {
	if ! pulumi --non-interactive --color never "$@" >"$work/out" 2>&1; then
		cat "$work/out" >&2
		die "pulumi $* failed (in $PWD)"
	fi
}
# p_fails PATTERN ARGS...: pulumi must fail, with PATTERN (grep -E) in its output.
p_fails() {
	local pattern="$1"
	shift
	if pulumi --non-interactive --color never "$@" >"$work/out" 2>&1; then
		cat "$work/out" >&2
		die "pulumi $* succeeded but should have failed (in $PWD)"
	fi
	grep -qE -- "$pattern" "$work/out" || {
		cat "$work/out" >&2
		die "pulumi $* failed without /$pattern/ in its output (in $PWD)"
	}
}
# out_has PATTERN [FILE]: the last pulumi output (or FILE) matches PATTERN (grep -E).
out_has() {
	local f="${2:-$work/out}"
	grep -qE -- "$1" "$f" || {
		cat "$f" >&2
		die "expected /$1/ in $f (in $PWD)"
	}
}
# output_is NAME VALUE [FLAGS]: `pulumi stack output NAME` prints VALUE.
output_is() {
	local got
	got="$(pulumi --non-interactive stack output "$1" ${3:+"$3"} 2>&1)" || die "pulumi stack output $1: $got"
	[[ "$got" == "$2" ]] || die "stack output $1 is '$got', expected '$2'"
}

# out_lacks PATTERN [FILE]: the last pulumi output (or FILE) does not match PATTERN.
out_lacks() {
	local f="${2:-$work/out}"
	if grep -qE -- "$1" "$f"; then
		cat "$f" >&2
		die "unexpected /$1/ in $f (in $PWD)"
	fi
}

# The checks both languages share; the program must export x="hello",
# greeting=<config greeting>, token=<secret config token>, and fail with
# FAILURE (a grep -E pattern) when config `fail` is `raise`; that run's output
# is kept in $work/failed-up.out.
lifecycle() {
	local failure="$1"
	p stack init smoke
	p config set greeting "hello config"
	p config set --secret token "s3cr3t-value"

	p preview
	out_has '^ +x\s*: "hello"'

	p up --yes
	out_has '^ +x\s*: "hello"'
	out_has '^ +greeting\s*: "hello config"'
	out_has '^ +token\s*: \[secret\]'
	out_lacks 's3cr3t-value'
	output_is x hello
	output_is greeting "hello config"
	output_is token "[secret]"
	output_is token "s3cr3t-value" --show-secrets

	p refresh --yes

	# The program logged its error through the engine and exited 32, so the
	# host answers Bail: the user sees the program's message and no
	# "exit code" message from the host on top.
	p config set fail raise
	p_fails "$failure" up --yes
	out_lacks 'non-zero exit code'
	cp "$work/out" "$work/failed-up.out"
	p config rm fail
}

finish() {
	p destroy --yes
	out_has 'deleted'
	p stack rm --yes smoke
}

smoke_python() {
	local venv="$root/.tools/python-venv-pulumi-${PULUMI_PYTHON_SDK_VERSION}"
	local py="${PYTHON:-python3}"
	# A venv is reused while its marker matches the pin and its python still runs.
	if [[ "$(cat "$venv/.smoke-ok" 2>/dev/null)" != "$PULUMI_PYTHON_SDK_VERSION" ]] ||
		! "$venv/bin/python" -c '' 2>/dev/null; then
		say "creating $venv (pip install pulumi==$PULUMI_PYTHON_SDK_VERSION)"
		rm -rf "$venv"
		"$py" -m venv "$venv" || die "$py -m venv failed"
		"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
			"pulumi==$PULUMI_PYTHON_SDK_VERSION" || die "pip install pulumi==$PULUMI_PYTHON_SDK_VERSION failed"
		echo "$PULUMI_PYTHON_SDK_VERSION" >"$venv/.smoke-ok"
	fi

	local dir="$work/py"
	mkdir -p "$dir"
	cat >"$dir/Pulumi.yaml" <<-EOF
		name: smoke-python
		runtime:
		  name: python
		  options:
		    virtualenv: $venv
	EOF
	# helper.py checks that the program directory is on sys.path.
	echo 'GREETING_KEY = "greeting"' >"$dir/helper.py"
	cat >"$dir/__main__.py" <<-'EOF'
		import pulumi
		from helper import GREETING_KEY

		config = pulumi.Config()
		if config.get("fail") == "raise":
		    raise ValueError("boom from the program")
		pulumi.export("x", "hello")
		pulumi.export("greeting", config.require(GREETING_KEY))
		pulumi.export("token", config.require_secret("token"))
	EOF

	cd "$dir"
	# The traceback, from the program's own frame on.
	lifecycle 'File ".*/__main__.py", line [0-9]+, in <module>'
	out_has '^ +ValueError: boom from the program' "$work/failed-up.out"
	out_lacks 'pulumi-language-python-exec|runpy' "$work/failed-up.out"

	# No virtualenv option: PULUMI_PYTHON_CMD picks the interpreter; and `main`
	# naming a file, whose directory must be on sys.path too.
	cat >"$dir/Pulumi.yaml" <<-EOF
		name: smoke-python
		main: __main__.py
		runtime: python
	EOF
	# (A preview only shows outputs that change, hence the new greeting.)
	p config set greeting "via PULUMI_PYTHON_CMD"
	PULUMI_PYTHON_CMD="$venv/bin/python" p preview
	out_has '"via PULUMI_PYTHON_CMD"'

	finish
}

smoke_go() {
	command -v go >/dev/null || die "go not on PATH"
	local dir="$work/go"
	mkdir -p "$dir"
	printf 'name: smoke-go\nruntime: go\n' >"$dir/Pulumi.yaml"
	# gomod/'s requirements (not a fresh `go mod tidy`): exactly the module
	# versions the engine build downloaded and compiled, so the build is offline
	# and mostly cached. GOFLAGS=-mod=mod lets go add the few go.sum lines it wants.
	sed -e 's|^module .*|module smokego|' -e '/^tool /d' -e '/^\/\//d' "$here/gomod/go.mod" >"$dir/go.mod"
	cp "$here/gomod/go.sum" "$dir/go.sum"
	cat >"$dir/main.go" <<-'EOF'
		package main

		import (
			"errors"

			"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
			"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
		)

		func main() {
			pulumi.Run(func(ctx *pulumi.Context) error {
				cfg := config.New(ctx, "")
				switch cfg.Get("fail") {
				case "raise":
					return errors.New("boom from the program")
				case "panic":
					panic("kaboom from the program")
				}
				ctx.Export("x", pulumi.String("hello"))
				ctx.Export("greeting", pulumi.String(cfg.Require("greeting")))
				ctx.Export("token", cfg.RequireSecret("token"))
				return nil
			})
		}
	EOF

	cd "$dir"
	export GOFLAGS=-mod=mod GOTOOLCHAIN=local # read by the host's `go build`
	lifecycle 'boom from the program'
	# A panic is not logged by the SDK: the host reports the exit code, and the
	# engine shows the panic text from the program's stderr.
	p config set fail panic
	p_fails 'panic: kaboom from the program' up --yes
	out_has 'exit code: 2'
	p config rm fail

	# runtime.options.buildTarget keeps the binary; `binary` runs it unbuilt.
	printf 'name: smoke-go\nruntime:\n  name: go\n  options:\n    buildTarget: bin/prog\n' >Pulumi.yaml
	p preview
	[[ -x bin/prog ]] || die "buildTarget bin/prog was not built"
	printf 'name: smoke-go\nruntime:\n  name: go\n  options:\n    binary: bin/prog\n' >Pulumi.yaml
	mv main.go main.go.off # nothing left to build: the preview must not try
	p config set greeting "via binary"
	p preview
	out_has '"via binary"'
	mv main.go.off main.go

	finish
}

for lang in "${langs[@]}"; do
	start=$SECONDS
	# In a subshell: each keeps its cd and exports to itself.
	case "$lang" in
	python) (smoke_python) ;;
	go) (smoke_go) ;;
	*) die "unknown language '$lang' (python or go)" ;;
	esac
	say "$lang: ok ($((SECONDS - start))s)"
done
