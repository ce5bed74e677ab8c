#!/usr/bin/env python3
"""Prints one secret's value from Barbican, for fetch-secrets on OpenStack
(docs/secrets.md#how-nodes-read-them).

Usage: barbican-secret <region or -> <name> <metadata source>...

The node's credential is the application credential the stack made for its role: its id and
secret, and the Keystone URL, are in the server's metadata (`meta`), read from the first source
that has them: the config drive's or the metadata service's openstack/latest/meta_data.json, or
cloud-init's instance data (ds.meta_data.meta). The value goes to stdout only.
Exit 3: no secret of that name (yet); 4: refused for good (one line on stderr); other: try again.
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

MISSING, REFUSED, TRANSIENT = 3, 4, 1
KEYS = ("secrets-auth-url", "secrets-credential-id", "secrets-credential-secret")
TIMEOUT = 20


class Failure(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def metadata(sources):
    for source in sources:
        try:
            if source.startswith(("http://", "https://")):
                with urllib.request.urlopen(source, timeout=TIMEOUT) as answer:
                    document = json.load(answer)
            else:
                with open(source, encoding="utf-8") as file:
                    document = json.load(file)
        except (OSError, ValueError):
            continue
        meta = document.get("meta") or document.get("ds", {}).get("meta_data", {}).get("meta") or {}
        if all(meta.get(key) for key in KEYS):
            return meta
    raise Failure(REFUSED, "no secrets credential in the server's metadata (%s): only nodes that read secrets get one" % ", ".join(KEYS))


def request(method, url, headers, body=None):
    data = None if body is None else json.dumps(body).encode()
    call = urllib.request.Request(url, data=data, method=method, headers=headers)
    return urllib.request.urlopen(call, timeout=TIMEOUT)


def reason(error):
    """Keystone's error.message or Barbican's description, on one line."""
    try:
        body = json.loads(error.read().decode("utf-8", "replace"))
        detail = (body.get("error") or {}).get("message") or body.get("description") or body.get("title") or ""
    except (ValueError, AttributeError, OSError):
        detail = ""
    return " ".join(("%s %s%s" % (error.code, error.reason, ": " + detail if detail else "")).split())


def session(meta, region):
    auth_url = meta["secrets-auth-url"].rstrip("/")
    url = (auth_url if auth_url.endswith("/v3") else auth_url + "/v3") + "/auth/tokens"
    body = {"auth": {"identity": {"methods": ["application_credential"], "application_credential": {
        "id": meta["secrets-credential-id"], "secret": meta["secrets-credential-secret"]}}}}
    where = "Keystone at %s" % meta["secrets-auth-url"]
    try:
        with request("POST", url, {"Content-Type": "application/json", "Accept": "application/json"}, body) as answer:
            issued = answer.headers.get("X-Subject-Token")
            catalog = json.load(answer).get("token", {}).get("catalog", [])
    except urllib.error.HTTPError as error:
        raise Failure(REFUSED if error.code in (400, 401, 403, 404) else TRANSIENT, "%s: %s" % (where, reason(error)))
    except (OSError, ValueError) as error:
        raise Failure(TRANSIENT, "%s: %s" % (where, error))
    endpoints = [e for s in catalog if s.get("type") == "key-manager" for e in s.get("endpoints", [])
                 if e.get("interface") == "public" and region in ("-", e.get("region_id"), e.get("region"))]
    regions = sorted({e.get("region_id") or e.get("region") or "" for e in endpoints})
    if not endpoints:
        raise Failure(REFUSED, "%s: the catalog has no public key-manager endpoint%s" % (where, "" if region == "-" else " in region " + region))
    if len(regions) > 1:
        raise Failure(REFUSED, "%s: key-manager is in several regions (%s): set openstack.region" % (where, ", ".join(regions)))
    endpoint = endpoints[0]["url"].rstrip("/")
    return issued, endpoint[:-3] if endpoint.endswith("/v1") else endpoint


def value(token, endpoint, name):
    where = "Barbican at %s" % endpoint
    headers = {"X-Auth-Token": token, "Accept": "application/json"}
    try:
        query = urllib.parse.urlencode({"name": name, "limit": 100})
        with request("GET", "%s/v1/secrets?%s" % (endpoint, query), headers) as answer:
            listed = [s for s in json.load(answer).get("secrets", []) if s.get("name") == name]
        if not listed:
            raise Failure(MISSING, "%s: no secret %s" % (where, name))
        # The oldest, as npm run secrets reads it (lib/secrets/barbican-store.ts).
        ref = min(listed, key=lambda s: (s.get("created", ""), s["secret_ref"].rstrip("/").rsplit("/", 1)[-1]))["secret_ref"]
        uuid = ref.rstrip("/").rsplit("/", 1)[-1]
        with request("GET", "%s/v1/secrets/%s/payload" % (endpoint, uuid), dict(headers, Accept="text/plain")) as answer:
            return answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        raise Failure(REFUSED if error.code in (401, 403) else TRANSIENT, "%s: %s" % (where, reason(error)))
    except (OSError, ValueError) as error:
        raise Failure(TRANSIENT, "%s: %s" % (where, error))


def main(argv):
    if len(argv) < 3:
        print("usage: barbican-secret <region or -> <name> <metadata source>...", file=sys.stderr)
        return REFUSED
    region, name, sources = argv[0], argv[1], argv[2:]
    try:
        token, endpoint = session(metadata(sources), region)
        sys.stdout.write(value(token, endpoint, name))
        return 0
    except Failure as failure:
        print(failure, file=sys.stderr)
        return failure.code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
