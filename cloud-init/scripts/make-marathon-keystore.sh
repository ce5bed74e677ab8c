#!/bin/bash
# Makes Marathon's HTTPS keystore at boot (--ssl_keystore_path) from its role's certificate and
# key (one PEM file, fetched by fetch-secrets; npm run secrets issued it), locked with the
# keystore password from the secret store. PKCS12 with PBE-SHA1-3DES and a SHA-1 MAC, the
# algorithms every Java 8 reads (OpenSSL 3's default AES/PBKDF2 needs 8u301 or later, and the
# image's Java 8 is whatever tarball the image was built with). The password is read from its
# file by openssl, never on a command line. Run at boot with tls.marathon, after fetch-secrets and
# before the units start (docs/security.md, "Credentials on the wire").
# Usage: make-marathon-keystore <certificate and key> <password file> <keystore out> <owner user:group>
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
bundle="$root$1"
password_file="$root$2"
keystore="$root$3"
owner="$4"
fail() {
  echo "make-marathon-keystore: $*" >&2
  exit 1
}
command -v openssl >/dev/null || fail "no openssl on the image"
[ -s "$bundle" ] || fail "no certificate at $bundle (fetch-secrets runs first)"
[ -s "$password_file" ] || fail "no keystore password at $password_file (fetch-secrets runs first)"

errors="$(mktemp)"
tmp="$(mktemp "$keystore.XXXXXX")"
trap 'rm -f "$errors" "$tmp"' EXIT
openssl pkcs12 -export -in "$bundle" -inkey "$bundle" -name marathon -passout "file:$password_file" \
  -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 -out "$tmp" 2>"$errors" ||
  fail "cannot make the keystore from $bundle: $(head -n 1 "$errors")"
# Written aside, then moved over: Marathon never reads half a keystore.
chmod 0400 "$tmp"
chown "$owner" "$tmp"
mv -f "$tmp" "$keystore"
