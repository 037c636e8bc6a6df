#!/usr/bin/env bash
# Regenerates imports/ from the local CRD copies in ../shared/crds (offline).
# Module names match the `imports:` list in cdk8s.yaml, so an online `cdk8s import` followed by
# `node scripts/fast-imports.js` gives the same files.
set -euo pipefail
cd "$(dirname "$0")/.."
crds="${CDK8S_DATA_CRDS:-../shared/crds}"
for module in cnpg-clusters cnpg-poolers cnpg-scheduledbackups cnpg-databases cnpg-imagecatalogs \
  cnpg-publications cnpg-subscriptions cnpg-backups \
  barmancloud-objectstores atlas-atlasschemas atlas-atlasmigrations \
  prom-podmonitors prom-servicemonitors prom-prometheusrules eso-externalsecrets kruise-statefulsets; do
  npx cdk8s import --no-save -o imports "$module:=$crds/$module.yaml"
done
# The generated undefined-value filter as a loop (same output, much less rendering time).
node scripts/fast-imports.js
