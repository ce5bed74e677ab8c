#!/bin/bash
# Writes this node's secret files before its services start. Each manifest line names a
# template that cloud-init wrote (no values in it), the file to write, its mode and owner;
# every {{name}} in a template becomes the value of the secret <prefix>/<name>. Values never
# reach a command line, a log or user-data: they come from the store's answer and are
# substituted by the shell. Reading them takes the node's own identity: on AWS its instance
# profile, which may read exactly the names its templates use; on OpenStack its role's
# application credential from the server's metadata, which may only read Barbican
# (barbican-secret, docs/secrets.md#openstack-barbican).
# Usage: fetch-secrets <store> <region> <prefix>     store: aws-ssm or openstack; region - = any
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
store="$1"
region="$2"
prefix="$3"
attempts="${MESOS_CLUSTER_SECRET_ATTEMPTS:-30}"
fail() {
  echo "fetch-secrets: $*" >&2
  exit 1
}
case "$store" in
  aws-ssm) command -v aws >/dev/null || fail "no aws CLI on the image" ;;
  openstack) command -v python3 >/dev/null || fail "no python3 on the image" ;;
  *) fail "no fetcher for store '$store'" ;;
esac

# Where an OpenStack node's metadata may be, first found first: the config drive (mounted
# read-only here; tests name a directory instead), cloud-init's instance data, the metadata service.
errors="$(mktemp)"
mounted=""
cleanup() {
  rm -f "$errors"
  [ -z "$mounted" ] || { umount "$mounted" 2>/dev/null || true; rmdir "$mounted"; }
}
trap cleanup EXIT
metadata_sources=()
if [ "$store" = openstack ]; then
  drive="${MESOS_CLUSTER_CONFIG_DRIVE:-}"
  # iso9660 drives are labelled config-2, vfat ones CONFIG-2 (as agent-identity reads them).
  for device in "$root/dev/disk/by-label/config-2" "$root/dev/disk/by-label/CONFIG-2"; do
    if [ -z "$drive" ] && [ -e "$device" ]; then
      mounted="$(mktemp -d)"
      ! mount -o ro "$device" "$mounted" || drive="$mounted"
      break
    fi
  done
  [ -z "$drive" ] || metadata_sources+=("$drive/openstack/latest/meta_data.json")
  metadata_sources+=("$root/run/cloud-init/instance-data-sensitive.json" "$root/run/cloud-init/instance-data.json")
  metadata_sources+=("${MESOS_CLUSTER_METADATA_URL:-http://169.254.169.254/openstack/latest/meta_data.json}")
fi

# One value, on stdout. 0: found; 3: not stored (yet); 4: refused for good; else: try again.
read_secret() {
  case "$store" in
    aws-ssm) aws ssm get-parameter --region "$region" --name "$prefix/$1" --with-decryption --query Parameter.Value --output text 2>/dev/null ;;
    openstack) python3 "$(dirname "$0")/barbican-secret" "$region" "$prefix/$1" "${metadata_sources[@]}" 2>"$errors" ;;
  esac
}

# A value on stdout. Retried: the instance profile can take a while to work after boot, and
# the operator may store the secrets after the apply. A token (inside a template) must be
# letters and digits, as npm run secrets makes them, so it is safe in URLs, JSON and
# environment files; a document (a template that is one placeholder) is used as stored.
fetch() {
  local value status attempt=1 reason
  while true; do
    status=0
    value="$(read_secret "$1")" || status=$?
    [ "$status" -ne 0 ] || break
    [ "$status" -ne 4 ] || [ "$store" != openstack ] || fail "$(head -n 1 "$errors")"
    if [ "$attempt" -ge "$attempts" ]; then
      # A missing secret says so; any other failure says what the store answered last.
      reason=""
      [ "$status" -eq 3 ] || reason="$(head -n 1 "$errors")"
      fail "cannot read $prefix/$1 (npm run secrets)${reason:+: $reason}"
    fi
    sleep $((attempt < 10 ? attempt : 10))
    attempt=$((attempt + 1))
  done
  [ "$2" = document ] || [[ "$value" =~ ^[A-Za-z0-9]{16,}$ ]] || fail "$prefix/$1 is not a token (npm run secrets -- --rotate $1)"
  printf '%s' "$value"
}

mkdir -p "$root/etc/mesos-cluster/secrets"
while read -r template file mode owner; do
  case "$template" in '' | '#'*) continue ;; esac
  content="$(<"$root$template")"
  mapfile -t placeholders < <(grep -o '{{[a-z0-9/_-]*}}' <<<"$content" | sort -u)
  for placeholder in "${placeholders[@]}"; do
    name="${placeholder:2:-2}"
    kind=token
    [ "$content" != "$placeholder" ] || kind=document
    value="$(fetch "$name" $kind)"
    content="${content//"$placeholder"/"$value"}"
  done
  # Written aside, then moved over: a service never reads half a file or a readable one.
  tmp="$(mktemp "$root$file.XXXXXX")"
  printf '%s' "$content" >"$tmp"
  chmod "$mode" "$tmp"
  chown "$owner" "$tmp"
  mv -f "$tmp" "$root$file"
done <"$root/etc/mesos-cluster/secrets.manifest"
