# shellcheck shell=bash
# Source me (bash): `source test/engine/env.sh`
#
# Sets up the offline Pulumi engine for this repository's tests:
#   - runs ensure-engine.sh (builds the engine once; later calls take < 1 s)
#     and puts its bin dir (pulumi, pulumi-language-nodejs, pulumi-language-yaml,
#     pulumi-language-python(-exec), pulumi-language-go,
#     pulumi-resource-pulumi-nodejs) first on PATH;
#   - exports the settings that keep the engine off the network and out of ~/.pulumi.
# Set PULUMI_ENGINE_NO_ENSURE=1 to only export the settings and the expected
# bin dir, without checking or building anything.
# Values already set in the environment win (except PATH, which is prepended).

_pe_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
_pe_root="$(cd "$_pe_here/../.." && pwd)"

if [[ -n "${PULUMI_ENGINE_NO_ENSURE:-}" ]]; then
	_pe_bindir="$(source "$_pe_here/versions.env" && echo "$_pe_root/.tools/pulumi-${PULUMI_VERSION}/bin")"
elif ! _pe_bindir="$(bash "$_pe_here/ensure-engine.sh" | tail -n 1)" || [[ -z "$_pe_bindir" ]]; then
	echo "env.sh: ensure-engine.sh failed" >&2
	unset _pe_here _pe_root _pe_bindir
	# shellcheck disable=SC2317 # exit only runs when executed instead of sourced
	return 1 2>/dev/null || exit 1
fi

case ":${PATH}:" in
*":${_pe_bindir}:"*) ;;
*) export PATH="${_pe_bindir}:${PATH}" ;;
esac

# No "a new version of Pulumi is available" check (it would call out to the network).
export PULUMI_SKIP_UPDATE_CHECK=true
# Never try to download missing plugins; fail instead.
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# Fixed passphrase for the passphrase secrets provider used with file:// backends.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-pulumi-braket-test-passphrase}"
# Keep credentials.json, workspaces, plugin cache and logs out of ~/.pulumi.
export PULUMI_HOME="${PULUMI_HOME:-${_pe_root}/.tools/pulumi-home}"
mkdir -p "$PULUMI_HOME"

# Not set on purpose:
#  - PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: the CLI reports the pinned release
#    (newer than the Automation API minimum), so the check passes without it.
#  - PULUMI_BACKEND_URL: choose a state backend per test (`pulumi login file://DIR`,
#    or PULUMI_BACKEND_URL=file://DIR, which overrides any login).

unset _pe_here _pe_root _pe_bindir
