#!/usr/bin/env bash
# Builds the install ISO of one TMS edge device (Fedora CoreOS + K3s + the tms-agent chart).
#
# Usage:
#   deploy/coreos/build-iso.sh --site HOU1 --cloud-url https://tms.example.com \
#       --token-file bootstrap-HOU1.token --ssh-key ~/.ssh/id_ed25519.pub \
#       --image-repo 123456789012.dkr.ecr.eu-west-1.amazonaws.com/tms-agent --image-tag 0.1.0 \
#       --k3s-version v1.31.4+k3s1 --k3s-sha256 <sha256 of that k3s binary> \
#       [--chart-url https://charts.tms.example.com/tms-0.1.0.tgz] \
#       [--base-iso fedora-coreos-live.x86_64.iso] [--dest-device /dev/sda] \
#       [--update-window Sun,02:00,120] [--out tms-edge-HOU1.iso] [--ignition-only]
#
# The bootstrap token comes from `tms` site registration in the cloud (docs/runbooks/provision-site.md);
# it is written only into the ISO (a K3s Secret manifest, mode 0600), never into this repository.
# Needs: butane, coreos-installer (both packaged by Fedora; or their container images). Without
# --base-iso the latest stable live ISO is downloaded with `coreos-installer download`.
# Boot the device from the ISO: it installs to --dest-device and reboots into the site's system.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

usage() { sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
die() { echo "build-iso: $*" >&2; exit 2; }

site="" cloud_url="" token_file="" ssh_key="" image_repo="" image_tag="" k3s_version="" k3s_sha256=""
chart_url="" base_iso="" dest_device="/dev/sda" update_window="Sun,02:00,120" out="" ignition_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --site) site="$2"; shift 2 ;;
    --cloud-url) cloud_url="$2"; shift 2 ;;
    --token-file) token_file="$2"; shift 2 ;;
    --ssh-key) ssh_key="$2"; shift 2 ;;
    --image-repo) image_repo="$2"; shift 2 ;;
    --image-tag) image_tag="$2"; shift 2 ;;
    --k3s-version) k3s_version="$2"; shift 2 ;;
    --k3s-sha256) k3s_sha256="$2"; shift 2 ;;
    --chart-url) chart_url="$2"; shift 2 ;;
    --base-iso) base_iso="$2"; shift 2 ;;
    --dest-device) dest_device="$2"; shift 2 ;;
    --update-window) update_window="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --ignition-only) ignition_only=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "build-iso: unknown option $1" >&2; usage 2 ;;
  esac
done

[[ "$site" =~ ^[A-Z][A-Z0-9]{1,9}$ ]] || die "--site must be 2-10 upper-case letters or digits (was '$site')"
[[ "$cloud_url" =~ ^https:// ]] || die "--cloud-url must be an https URL (was '$cloud_url')"
[ -s "$token_file" ] || die "--token-file must name a non-empty file"
[ -s "$ssh_key" ] || die "--ssh-key must name a public key file"
if [ -z "$image_repo" ] || [ -z "$image_tag" ]; then die "--image-repo and --image-tag are required"; fi
[[ "$k3s_version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+\+k3s[0-9]+$ ]] || die "--k3s-version must look like v1.31.4+k3s1"
[[ "$k3s_sha256" =~ ^[0-9a-f]{64}$ ]] || die "--k3s-sha256 must be 64 hex digits"
IFS=, read -r update_day update_start update_minutes <<<"$update_window"
[[ "$update_day" =~ ^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)$ && "$update_start" =~ ^[0-2][0-9]:[0-5][0-9]$ \
  && "$update_minutes" =~ ^[0-9]+$ ]] || die "--update-window must be DAY,HH:MM,MINUTES (was '$update_window')"
out="${out:-tms-edge-$site.iso}"

for tool in butane coreos-installer; do
  if [ "$tool" = coreos-installer ] && [ "$ignition_only" = 1 ]; then continue; fi
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (dnf install $tool)"
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/files/ssh" "$work/files/k3s"
cp "$ssh_key" "$work/files/ssh/authorized_keys"

# The agent's HelmChart with this site's values.
sed -e "s|code: SITE_CODE|code: $site|" \
    -e "s|cloudUrl: CLOUD_URL|cloudUrl: $cloud_url|" \
    -e "s|repository: .*/tms-agent|repository: $image_repo|" \
    -e "s|tag: \"0.1.0\"|tag: \"$image_tag\"|" \
    ${chart_url:+-e "s|chart: https://.*\.tgz|chart: $chart_url|"} \
    "$ROOT/deploy/k3s/tms-agent-helmchart.yaml" >"$work/files/k3s/tms-agent-helmchart.yaml"

# The bootstrap token as a Secret in the agent's namespace (read by the chart: secret.existingSecret).
token_b64="$(tr -d '\n' <"$token_file" | base64 -w0)"
cat >"$work/files/k3s/tms-agent-bootstrap.yaml" <<YAML
apiVersion: v1
kind: Namespace
metadata:
  name: tms
---
apiVersion: v1
kind: Secret
metadata:
  name: tms-agent-bootstrap
  namespace: tms
type: Opaque
data:
  bootstrap-token: $token_b64
YAML

site_lower="$(tr '[:upper:]' '[:lower:]' <<<"$site")"
k3s_version_url="${k3s_version/+/%2B}"
sed -e "s|@SITE_LOWER@|$site_lower|g" \
    -e "s|@K3S_VERSION_URL@|$k3s_version_url|g" \
    -e "s|@K3S_SHA256@|$k3s_sha256|g" \
    -e "s|@UPDATE_DAY@|$update_day|g" \
    -e "s|@UPDATE_START@|$update_start|g" \
    -e "s|@UPDATE_MINUTES@|$update_minutes|g" \
    "$HERE/edge.bu" >"$work/edge.bu"

butane --strict --pretty --files-dir "$work/files" --output "$work/edge.ign" "$work/edge.bu"
if [ "$ignition_only" = 1 ]; then
  cp "$work/edge.ign" "${out%.iso}.ign"
  echo "build-iso: wrote ${out%.iso}.ign"
  exit 0
fi

if [ -z "$base_iso" ]; then
  base_iso="$(coreos-installer download --stream stable --platform metal --format iso --directory "$work")"
fi
coreos-installer iso customize \
  --dest-device "$dest_device" \
  --dest-ignition "$work/edge.ign" \
  --output "$out" \
  "$base_iso"
echo "build-iso: wrote $out for site $site (installs to $dest_device)"
