#!/usr/bin/env bash
# Deploys one release of the cloud service to one environment's EKS cluster and checks it.
#
# Usage: deploy/pipeline/deploy.sh ENVIRONMENT VERSION CHART_TGZ
#   ENVIRONMENT  dev | staging | production (Terraform environment and Kubernetes namespace tms)
#   VERSION      image tag pushed by the pipeline (tms-api and tms-agent)
#   CHART_TGZ    the chart packaged by the pipeline (helm package deploy/helm/tms)
#
# Needs aws, kubectl and helm on the PATH and AWS credentials of the pipeline role. Reads the
# environment's Terraform outputs (cluster, database URL, ECR repositories) from its state.
# `helm upgrade --atomic` rolls back by itself when the new pods do not become ready; the smoke
# check then asks /readyz through the service. Rolling back later: docs/runbooks/rollback-release.md.
set -euo pipefail

env="${1:?usage: deploy.sh ENVIRONMENT VERSION CHART_TGZ}"
version="${2:?usage: deploy.sh ENVIRONMENT VERSION CHART_TGZ}"
chart="${3:?usage: deploy.sh ENVIRONMENT VERSION CHART_TGZ}"
case "$env" in dev|staging|production) ;; *) echo "deploy: unknown environment $env" >&2; exit 2 ;; esac
[ -f "$chart" ] || { echo "deploy: no chart package $chart" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tf="$ROOT/deploy/terraform/environments/$env"
output() { terraform -chdir="$tf" output -raw "$1"; }

cluster="$(output cluster_name)"
db_url="$(output db_jdbc_url)"
repo="$(terraform -chdir="$tf" output -json image_repositories | python3 -c 'import json,sys; print(json.load(sys.stdin)["tms-api"])')"

aws eks update-kubeconfig --name "$cluster" --alias "tms-$env" >/dev/null
helm upgrade --install tms "$chart" \
  --kube-context "tms-$env" --namespace tms --create-namespace \
  -f "$ROOT/deploy/helm/tms/values-cloud.yaml" \
  --set image.repository="$repo" --set image.tag="$version" \
  --set database.url="$db_url" --set secret.existingSecret=tms-cloud \
  --atomic --wait --timeout 10m

kubectl --context "tms-$env" -n tms rollout status deployment/tms-api --timeout=5m
kubectl --context "tms-$env" -n tms run "smoke-$version" --rm -i --restart=Never --quiet \
  --image=curlimages/curl:8.10.1 -- curl -fsS --max-time 10 http://tms-api/readyz
echo "deploy: tms $version is live in $env"
