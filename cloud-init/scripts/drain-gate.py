#!/usr/bin/env python3
"""Lets a Mesos agent drain, reactivate and mark gone itself and nothing else
(docs/security.md#what-mesos-111-cannot-enforce).

Usage: drain-gate <listen address> <port> <master host:port> <credentials file> <grace seconds>
                  [<cluster CA file> <certificate and key file>]

Runs on every master. Mesos 1.11's ACLs cannot tie DRAIN_AGENT to the caller's own agent
(acls.proto: its object is ANY or NONE), so the masters let only the operator drain, and this
gate calls the operator API for an agent with the operator's credential, on two conditions:
- the caller authenticates (HTTP basic) as an agent principal of the masters' credentials file;
- the master lists an agent at the caller's own address (agents register with their address as
  hostname) whose `pool` attribute is that principal's pool.
The cloud network (AWS source/destination check, OpenStack port security) keeps one node from
sending with another's address.

With the CA and certificate files (tls.mesos), the gate speaks HTTPS only with that certificate,
requires a client certificate that chains to the cluster CA (agents present their own and their
pool CA's), and calls its master over HTTPS presenting the same certificate (the masters require
one of every client), checking the master's against the CA by address.

  GET  /agent        the caller's agent as GET_AGENTS lists it, {} when the master does not
  POST /drain        DRAIN_AGENT with the gate's grace; body {"mark_gone": true} for good
  POST /reactivate   REACTIVATE_AGENT
Answers: 200; 401 bad credential; 403 the agent at that address is another pool's; 404 no agent
at that address (POST); 502 no leading master, or the master refused (its answer is passed on).
"""
import base64
import hmac
import json
import ssl
import sys
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OPERATOR = "operator"
AGENT_PREFIX = "agent-"
TIMEOUT = 10


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def server_context(ca_file, cert_file):
    """HTTPS for the agents: TLS 1.2 or later, a client certificate from the cluster CA required."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_file)
    context.load_verify_locations(cafile=ca_file)
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def client_context(ca_file, cert_file):
    """HTTPS to the masters: their certificate checked against the cluster CA alone, by address."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_verify_locations(cafile=ca_file)
    context.load_cert_chain(cert_file)
    return context


class MasterError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Gate:
    def __init__(self, master, credentials_file, grace, tls=None):
        self.master = master
        self.grace = grace
        self.scheme = "https" if tls else "http"
        handlers = [NoRedirect()] + ([urllib.request.HTTPSHandler(context=tls)] if tls else [])
        self.opener = urllib.request.build_opener(*handlers)
        with open(credentials_file, encoding="utf-8") as file:
            entries = json.load(file)["credentials"]
        self.secrets = {e["principal"]: e["secret"] for e in entries}
        self.operator = "Basic " + base64.b64encode(f"{OPERATOR}:{self.secrets[OPERATOR]}".encode()).decode()

    def principal(self, header):
        """The agent principal a basic Authorization header proves, or None."""
        if not header or not header.startswith("Basic "):
            return None
        try:
            user, _, given = base64.b64decode(header[6:], validate=True).decode().partition(":")
        except ValueError:
            return None
        known = self.secrets.get(user) if user.startswith(AGENT_PREFIX) else None
        if known is None or not hmac.compare_digest(known.encode(), given.encode()):
            return None
        return user

    def leader(self):
        """The leading master's base URL, from this master's /master/redirect (307 to //leader)."""
        request = urllib.request.Request(f"{self.scheme}://{self.master}/master/redirect")
        try:
            self.opener.open(request, timeout=TIMEOUT)
        except urllib.error.HTTPError as answer:
            location = answer.headers.get("Location", "")
            if answer.code == 307 and location:
                return f"{self.scheme}:" + location.rstrip("/") if location.startswith("//") else location.rstrip("/")
            raise MasterError(502, f"no leading master ({answer.code})") from None
        except OSError as error:
            raise MasterError(502, f"master {self.master} unreachable: {error}") from None
        raise MasterError(502, "no leading master")

    def call(self, body):
        data = json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json", "Authorization": self.operator}
        request = urllib.request.Request(f"{self.leader()}/api/v1", data=data, headers=headers, method="POST")
        try:
            with self.opener.open(request, timeout=TIMEOUT) as answer:
                text = answer.read()
        except urllib.error.HTTPError as answer:
            raise MasterError(502, f"{body['type']}: the master answered {answer.code} {answer.read()[:200]!r}") from None
        except OSError as error:
            raise MasterError(502, f"{body['type']}: {error}") from None
        return json.loads(text) if text else {}

    def agent_at(self, address):
        agents = self.call({"type": "GET_AGENTS"}).get("get_agents", {}).get("agents", [])
        return next((a for a in agents if a.get("agent_info", {}).get("hostname") == address), {})


def pool_of(agent):
    for attribute in agent.get("agent_info", {}).get("attributes", []):
        if attribute.get("name") == "pool":
            return attribute.get("text", {}).get("value")
    return None


class Handler(BaseHTTPRequestHandler):
    gate: Gate

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_call(self, action):
        principal = self.gate.principal(self.headers.get("Authorization"))
        if principal is None:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="drain-gate"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        address = self.client_address[0]
        try:
            agent = self.gate.agent_at(address)
            if not agent:
                return self.answer(200 if action == "agent" else 404, {})
            if AGENT_PREFIX + str(pool_of(agent)) != principal:
                self.log_message("refused %s for %s: the agent there is pool %s", action, principal, pool_of(agent))
                return self.answer(403, {"error": f"the agent at {address} is not {principal}'s"})
            if action == "agent":
                return self.answer(200, agent)
            agent_id = agent["agent_info"]["id"]
            if action == "drain":
                length = int(self.headers.get("Content-Length") or 0)
                request = json.loads(self.rfile.read(length) or b"{}") if length else {}
                mark_gone = request.get("mark_gone") is True
                self.gate.call({"type": "DRAIN_AGENT", "drain_agent": {
                    "agent_id": agent_id, "max_grace_period": {"seconds": self.gate.grace}, "mark_gone": mark_gone}})
            else:
                self.gate.call({"type": "REACTIVATE_AGENT", "reactivate_agent": {"agent_id": agent_id}})
            self.log_message("%s agent %s at %s for %s", action, agent_id.get("value"), address, principal)
            return self.answer(200, {})
        except MasterError as error:
            self.log_message("%s", error)
            return self.answer(error.status, {"error": str(error)})
        except ValueError:
            return self.answer(400, {"error": "the body is not JSON"})

    def do_GET(self):
        if self.path == "/agent":
            return self.handle_call("agent")
        return self.answer(404, {})

    def do_POST(self):
        if self.path in ("/drain", "/reactivate"):
            return self.handle_call(self.path[1:])
        return self.answer(404, {})


class TlsServer(ThreadingHTTPServer):
    """Each connection's handshake in its own thread, bounded: a silent or plain-text caller holds
    up no other and gets no HTTP answer."""
    context: ssl.SSLContext

    def finish_request(self, request, client_address):
        request.settimeout(TIMEOUT)
        try:
            request = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as error:
            sys.stderr.write(f"refused a TLS connection from {client_address[0]}: {error}\n")
            return
        try:
            super().finish_request(request, client_address)
        finally:
            # wrap_socket took the connection over from the plain socket the server will close.
            self.shutdown_request(request)


def main(argv):
    if len(argv) not in (6, 8):
        print("usage: drain-gate <listen address> <port> <master host:port> <credentials file> <grace seconds>"
              " [<cluster CA file> <certificate and key file>]", file=sys.stderr)
        return 2
    _, address, port, master, credentials, grace, *tls = argv
    Handler.gate = Gate(master, credentials, int(grace), client_context(*tls) if tls else None)
    if tls:
        TlsServer.context = server_context(*tls)
        server = TlsServer((address, int(port)), Handler)
    else:
        server = ThreadingHTTPServer((address, int(port)), Handler)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
