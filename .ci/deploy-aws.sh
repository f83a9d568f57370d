#!/usr/bin/env bash
# CI for the AWS deployment (decision 056): installs deploy/aws's own dependencies, type-checks
# the CDK app, runs `cdk synth` with cdk-nag (an unacknowledged finding fails it) and the app's
# tests. Needs the platform's own install first (the ingest function bundles src/ with its
# esbuild); needs no AWS account and no Docker.
set -euo pipefail
cd "$(dirname "$0")/.."

step() {
  local name=$1; shift
  local started=$SECONDS
  echo "== $name"
  "$@"
  echo "== $name: $((SECONDS - started)) s"
}

total=$SECONDS
step "install deploy/aws (npm ci)" npm ci --prefix deploy/aws --no-audit --no-fund --loglevel=error
echo "== deploy/aws/node_modules: $(du -sh deploy/aws/node_modules | cut -f1)"
step "typecheck deploy/aws" npm run --prefix deploy/aws typecheck
step "cdk synth + cdk-nag" npm run --prefix deploy/aws synth
step "deploy/aws tests" npm test --prefix deploy/aws
echo "== deploy/aws CI: $((SECONDS - total)) s"
