#!/usr/bin/env bash
# `npm test`: build (the generated SDK, the provider, the plugin executable), lint, check that the
# schema and the generated SDKs match their sources, then every mocha suite: unit tests, the
# plugin's gRPC server, the real AWS SDK and the real AWS CLI against the local Braket endpoint,
# Pulumi mocks, the fault soak and bad-input sweep, and the end-to-end tests (TypeScript and YAML
# programs) under the real Pulumi engine (built from Go modules on first use).
# Works on a fresh machine: it installs what it needs (npm packages, Debian's awscli, the engine).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

if [ ! -d node_modules/@pulumi/pulumi ] || [ ! -e node_modules/pulumi-braket ]; then
    step "Installing npm packages (npm ci)"
    npm ci
fi

step "Building: the generated SDK, the provider (tsc), the plugin executable (bin/pulumi-resource-braket)"
# Compiled tests of files since removed would still run from dist/test: start it afresh.
rm -rf dist/test
npm run build --silent
# npm ci links a package's bin only if its target exists, and the package's own copy (file:.) is
# installed before the build: link node_modules/.bin/pulumi-braket now, for the npx tests.
npm rebuild pulumi-braket --ignore-scripts >/dev/null

step "Linting (eslint, prettier)"
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }

if ! command -v aws >/dev/null 2>&1; then
    step "Installing the AWS CLI (Debian's awscli) for the endpoint's CLI tests"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq awscli >/dev/null
    else
        echo "The AWS CLI is needed (aws on PATH): install Debian's awscli (apt-get install awscli)." >&2
        exit 1
    fi
fi

step "Making sure the Pulumi engine is here (test/engine; a cold build takes about 5 minutes)"
# shellcheck source=test/engine/env.sh
source test/engine/env.sh
pulumi version >&2

step "Checking that schema.json and the generated SDKs match their sources (a drift fails here)"
schema_now="$(mktemp)"
node dist/provider/schemagen.js "$schema_now" 2>/dev/null
if ! cmp -s "$schema_now" provider/cmd/pulumi-resource-braket/schema.json; then
    diff -u provider/cmd/pulumi-resource-braket/schema.json "$schema_now" | head -40 >&2 || true
    rm -f "$schema_now"
    echo "provider/cmd/pulumi-resource-braket/schema.json is not what provider/schemagen.ts makes: run \`npm run gen\` and commit." >&2
    exit 1
fi
rm -f "$schema_now"
bash provider/scripts/gen-sdk.sh --check all

step "Building and unit-testing the Python and Go SDKs (Pulumi's Python and Go mocks)"
bash provider/scripts/test-sdk.sh all

# The AWS SDK warns on every process under Node 20 that it will need Node 22 from 2027; the
# supported-versions table in the README says so once.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

step "Running the test suites (mocha)"
npx mocha "$@"
