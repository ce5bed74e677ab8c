#!/bin/bash
# Writes this node's secret files before its services start. Each manifest line names a
# template that cloud-init wrote (no values in it), the file to write, its mode and owner;
# every {{name}} in a template becomes the value of the secret <prefix>/<name>. Values never
# reach a command line, a log or user-data: they come from the store's answer and are
# substituted by the shell. Reading them takes the node's own identity (its instance profile),
# which may read exactly the names its templates use.
# Usage: fetch-secrets <store> <region> <prefix>     store: aws-ssm (README "Secrets")
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
region="$2"
prefix="$3"
attempts="${MESOS_CLUSTER_SECRET_ATTEMPTS:-30}"
fail() {
  echo "fetch-secrets: $*" >&2
  exit 1
}
[ "$1" = aws-ssm ] || fail "no fetcher for store '$1'"
command -v aws >/dev/null || fail "no aws CLI on the image"

# A value on stdout. Retried: the instance profile can take a while to work after boot, and
# the operator may store the secrets after the apply. A token (inside a template) must be
# letters and digits, as npm run secrets makes them, so it is safe in URLs, JSON and
# environment files; a document (a template that is one placeholder) is used as stored.
fetch() {
  local value attempt=1
  until value="$(aws ssm get-parameter --region "$region" --name "$prefix/$1" --with-decryption --query Parameter.Value --output text 2>/dev/null)"; do
    [ "$attempt" -lt "$attempts" ] || fail "cannot read $prefix/$1 (npm run secrets)"
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
