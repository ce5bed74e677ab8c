#!/bin/bash
# Gives this agent its own TLS certificate for its address, signed at boot by its pool's issuing
# CA (fetched by fetch-secrets; npm run secrets made it). libprocess checks the address it calls
# against the peer's certificate, and agents learn their address only at boot (agent-identity).
# The pool CA's name constraints permit only the pool's subnets, so this key can sign for no
# master, no Marathon and no other pool's subnet; the certificate is checked against the
# cluster CA before it is used. A second boot with a valid certificate for the same address
# changes nothing.
# Usage: issue-agent-cert <cluster CA certificate> <pool CA certificate and key> <certificate chain out> <key out>
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
ca="$root$1"
pool_ca="$root$2"
chain="$root$3"
key="$root$4"
fail() {
  echo "issue-agent-cert: $*" >&2
  exit 1
}
command -v openssl >/dev/null || fail "no openssl on the image"
# shellcheck disable=SC1091 # written at boot by agent-identity
. "$root/etc/mesos-cluster/node.env"
address="${CLUSTER_NODE_IP:-}"
[[ "$address" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || fail "no IPv4 address in $root/etc/mesos-cluster/node.env (agent-identity runs first)"

# The certificate in place is kept while the cluster CA accepts it for this address and its key
# is the one beside it (a boot cut short between the two moves below leaves them unmatched).
if [ -s "$chain" ] && [ -s "$key" ] &&
  openssl verify -CAfile "$ca" -untrusted "$chain" "$chain" >/dev/null 2>&1 &&
  openssl x509 -in "$chain" -noout -checkip "$address" 2>/dev/null | grep -q 'does match' &&
  [ "$(openssl x509 -in "$chain" -noout -pubkey 2>/dev/null)" = "$(openssl pkey -in "$key" -pubout 2>/dev/null)" ]; then
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
umask 077
cat >"$work/extensions" <<EOF
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = IP:$address
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/key.pem" 2>"$work/errors" || fail "$(head -n 1 "$work/errors")"
openssl req -new -key "$work/key.pem" -subj "/O=mesos-cluster/CN=${CLUSTER_NODE_NAME:-agent} $address" -out "$work/request.pem" 2>"$work/errors" ||
  fail "$(head -n 1 "$work/errors")"
openssl x509 -req -in "$work/request.pem" -CA "$pool_ca" -CAkey "$pool_ca" -set_serial "0x01$(openssl rand -hex 15)" -days 730 -sha256 \
  -extfile "$work/extensions" -out "$work/certificate.pem" 2>"$work/errors" || fail "cannot sign with $pool_ca: $(head -n 1 "$work/errors")"
# Refused here (an address outside the pool's subnets, a pool CA from another CA) rather than by every peer later.
openssl verify -CAfile "$ca" -untrusted "$pool_ca" "$work/certificate.pem" >"$work/errors" 2>&1 ||
  fail "the cluster CA refuses the certificate for $address: $(grep -m 1 'error' "$work/errors" || head -n 1 "$work/errors")"
# The chain libprocess presents: this agent's certificate, then the pool CA's (never its key).
{
  cat "$work/certificate.pem"
  openssl x509 -in "$pool_ca"
} >"$work/chain.pem"
# Written aside, then moved over: the agent never reads half a file.
mkdir -p "$(dirname "$chain")" "$(dirname "$key")"
for pair in "key.pem:$key" "chain.pem:$chain"; do
  tmp="$(mktemp "${pair#*:}.XXXXXX")"
  cat "$work/${pair%%:*}" >"$tmp"
  chmod 0400 "$tmp"
  mv -f "$tmp" "${pair#*:}"
done
