#!/usr/bin/python3
"""Edge routes: renders nginx's routes to the Mesos and Marathon leaders and to Marathon apps.

Every run asks the masters for the leading master (/master/redirect), then the leader for the
registered frameworks (/master/state-summary) and for Marathon's, with its tasks
(/master/frameworks?framework_id=...). Those are read-only endpoints the masters answer without
credentials: the edge holds no credential of Marathon or Mesos. Marathon's framework is the one
registered under Marathon's principal (Mesos refuses a framework whose principal is not the one it
authenticated as); its leader is its webui_url, if that is one of --marathons. It renders one nginx
server file, and installs it only when it changed and `nginx -t` accepts it; then nginx reloads.
A Marathon app is routed when its labels (Marathon copies them onto its Mesos tasks) ask for it:
  MESOS_CLUSTER_EDGE_PATH=/jenkins/team-a   every request under that path (the app serves it)
  MESOS_CLUSTER_EDGE_HOST=team-a.ci.example every request for that host name
Labels come from whoever may deploy apps, so values that are not plain host names or paths are
skipped: they never reach nginx's configuration.
/mesos/ and /marathon/ answer only clients in --admin-cidrs. The client is the last address of
X-Forwarded-For (which the load balancer appends), believed only from --load-balancer-cidrs.
With --marathon-ca, Marathon speaks HTTPS only (tls.marathon): its leader is a webui_url
https://<one of --marathons>, and nginx checks its certificate against that CA alone and for the
DNS name --marathon-tls-name (nginx does not match IP SANs), or answers 502.
With --mesos-ca, the masters speak HTTPS only and require a client certificate (tls.mesos): this
reads them over HTTPS presenting --mesos-cert (certificate and key in one file), checking each
master's certificate against that CA alone for the DNS name --mesos-tls-name, and /mesos/
proxies to the leader the same way: one name both ways, which no pool CA may sign (an agent's
pool CA may sign addresses in the control subnets, where the masters are).
Usage: edge-routes --masters ip:port,... --marathons ip:port,... --admin-cidrs CIDR,...
                   --load-balancer-cidrs CIDR,... [--out FILE] [--listen PORT]
                   [--marathon-ca FILE --marathon-tls-name NAME]
                   [--mesos-ca FILE --mesos-cert FILE --mesos-tls-name NAME]
                   [--nginx-conf FILE] [--once | --interval SECONDS]
       edge-routes --render --summary FILE --frameworks FILE --mesos-leader ip:port [--marathons ...]
"""
import argparse
import http.client
import ipaddress
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

HOST_LABEL = "MESOS_CLUSTER_EDGE_HOST"
PATH_LABEL = "MESOS_CLUSTER_EDGE_PATH"
HOST_NAME = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
PATH = re.compile(r"^(/[A-Za-z0-9._-]+)+$")
ENDPOINT = re.compile(r"^[A-Za-z0-9.-]+:[0-9]{1,5}$")
FILE_PATH = re.compile(r"^(/[A-Za-z0-9._-]+)+$")
RESERVED_PATHS = ("/mesos", "/marathon", "/edge-health")
# Marathon 1.10's task ids (core/task/Task.scala): <app id, "/" as "_">.instance-<uuid>._app.<n>, or legacy <app id>.<uuid>.
TASK_OF_INSTANCE = re.compile(r"^(.+)\.(?:instance-|marathon-)[^_.]+[._]")
LEGACY_TASK = re.compile(r"^(.+)[._][^_.]+$")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class MesosHttps:
    """GETs to the masters over HTTPS: their certificate from the CA file alone, for the masters' DNS name, whatever address is called; ours presented."""

    def __init__(self, mesos_tls):
        ca, cert, self.name = mesos_tls
        self.context = ssl.create_default_context(cafile=ca)
        self.context.minimum_version = ssl.TLSVersion.TLSv1_2
        self.context.load_cert_chain(cert)

    def get(self, endpoint, path):
        host, port = endpoint.rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=5) as raw:
            connection = http.client.HTTPConnection(host, int(port), timeout=5)
            connection.sock = self.context.wrap_socket(raw, server_hostname=self.name)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                return response.status, response.headers, response.read()
            finally:
                connection.close()


def request(endpoint, path, opener=None):
    """(status, headers, body) of GET http://endpoint/path, or https with a MesosHttps opener; redirects are answers, not followed."""
    if opener:
        return opener.get(endpoint, path)
    req = urllib.request.Request(f"http://{endpoint}{path}")
    try:
        with OPENER.open(req, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def mesos_leader(masters, opener=None):
    """host:port of the leading master: any master answers /master/redirect with 307 //leader."""
    for master in masters:
        try:
            status, headers, _ = request(master, "/master/redirect", opener)
        except OSError as error:
            if opener:
                print(f"edge-routes: master {master}: {error}", file=sys.stderr)
            continue
        location = (headers.get("Location") or "").removeprefix("https:").removeprefix("http:").removeprefix("//")
        if status == 307 and ENDPOINT.match(location):
            return location
    return None


def marathon_framework(leader, name, principal, opener=None):
    """({agent id: hostname}, Marathon's framework with its tasks or None), from the leading master; None when it does not answer."""
    try:
        status, _, body = request(leader, "/master/state-summary", opener)
        if status != 200:
            print(f"edge-routes: master {leader} answered /master/state-summary with {status}", file=sys.stderr)
            return None
        summary = json.loads(body)
        agents = {agent["id"]: agent["hostname"] for agent in summary["slaves"]}
        found = []
        for candidate in summary["frameworks"]:
            if candidate.get("name") != name:
                continue
            status, _, body = request(leader, "/master/frameworks?framework_id=" + urllib.parse.quote(candidate["id"], safe=""), opener)
            if status != 200:
                print(f"edge-routes: master {leader} answered /master/frameworks with {status}", file=sys.stderr)
                return None
            found += [f for f in json.loads(body)["frameworks"] if f.get("principal") == principal]
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"edge-routes: master {leader}: {error}", file=sys.stderr)
        return None
    # Normally one; a stale one (not torn down) loses to the active, most recently subscribed one.
    newest = max(found, key=lambda f: (f.get("active") is True, f.get("reregistered_time", f.get("registered_time", 0))), default=None)
    return agents, newest


def app_of_task(task_id):
    """Marathon's app id of one of its task ids, or None."""
    match = TASK_OF_INSTANCE.match(task_id) or LEGACY_TASK.match(task_id)
    return "/" + match.group(1).replace("_", "/") if match else None


def marathon_apps(framework, agents):
    """Marathon's tasks as apps [{id, labels, tasks: [{host, ports, state}]}], one per app id and label set."""
    apps = {}
    for task in framework.get("tasks") or []:
        app_id = app_of_task(str(task.get("id", "")))
        host = agents.get(task.get("slave_id"))
        ports = ((task.get("discovery") or {}).get("ports") or {}).get("ports") or []
        if app_id is None or host is None:
            continue
        labels = {label.get("key"): label.get("value", "") for label in task.get("labels") or [] if label.get("key") in (HOST_LABEL, PATH_LABEL)}
        app = apps.setdefault((app_id, tuple(sorted(labels.items()))), {"id": app_id, "labels": labels, "tasks": []})
        # Marathon lists the host ports in the order of the app's port definitions: the first is the app's own.
        app["tasks"].append({"host": host, "ports": [p.get("number") for p in ports[:1]], "state": task.get("state")})
    return [apps[key] for key in sorted(apps)]


def marathon_leader(framework, marathons, scheme="http"):
    """host:port of Marathon's leader: its webui_url (<scheme>://<hostname>:<port>), if that is one of the Marathons.

    Marathon 1.10 sets https://<hostname>:<https_port> when it serves HTTPS, else
    http://<hostname>:<http_port> (MarathonSchedulerDriver.scala; reference/marathon-api/webui-url.json).
    """
    url = str((framework or {}).get("webui_url", ""))
    if not url.startswith(f"{scheme}://"):
        return None
    endpoint = url.removeprefix(f"{scheme}://").rstrip("/")
    return endpoint if endpoint in marathons else None


def app_routes(apps):
    """[(upstream name, host or None, path or None, [host:port])] for apps that ask for a route."""
    routes = []
    seen_hosts, seen_paths, names = set(), set(RESERVED_PATHS), set()
    for app in sorted(apps, key=lambda a: a.get("id", "")):
        labels = app.get("labels") or {}
        host = labels.get(HOST_LABEL, "").lower() or None
        path = labels.get(PATH_LABEL, "").rstrip("/") or None
        if host is not None and (not HOST_NAME.match(host) or host in seen_hosts):
            host = None
        if path is not None and (not PATH.match(path) or path in seen_paths or path.split("/")[1] in ("mesos", "marathon")):
            path = None
        if host is None and path is None:
            continue
        backends = sorted(
            f"{task['host']}:{task['ports'][0]}"
            for task in app.get("tasks") or []
            if task.get("state") == "TASK_RUNNING" and task.get("ports") and ENDPOINT.match(f"{task['host']}:{task['ports'][0]}")
        )
        seen_hosts.add(host)
        seen_paths.add(path)
        name = "app" + re.sub(r"[^a-z0-9]+", "_", app["id"].lower())
        # One app whose tasks carry two label sets (a deployment under way) gets two upstreams.
        base, n = name, 1
        while name in names:
            n += 1
            name = f"{base}_{n}"
        names.add(name)
        routes.append((name, host, path, backends))
    return routes


def upstream(name, backends):
    servers = "".join(f"    server {b};\n" for b in backends)
    return f"upstream {name} {{\n{servers}}}\n" if backends else ""


def proxy(location, name, backends, uri="", extra="", scheme="http"):
    target = f"proxy_pass {scheme}://{name}{uri};" if backends else "return 503;"
    return f"    location {location} {{\n{extra}        {target}\n    }}\n"


def cidrs(text):
    """The IPv4 networks of a comma-separated list, in nginx's notation; a bad one stops the generator."""
    return [str(ipaddress.IPv4Network(c.strip())) for c in text.split(",") if c.strip()]


def admins_only(access):
    """allow/deny for the admin networks, the client taken from X-Forwarded-For only when the load balancer sent it."""
    admin_cidrs, load_balancer_cidrs = access
    # The last X-Forwarded-For address is the one the load balancer appended (real_ip_recursive off).
    lines = [f"set_real_ip_from {c};" for c in load_balancer_cidrs] + ["real_ip_header X-Forwarded-For;"]
    lines += [f"allow {c};" for c in admin_cidrs] + ["deny all;"]
    return "".join(f"        {line}\n" for line in lines)


def tls_checks(ca, name, client=None):
    """nginx's check of an upstream's certificate: the cluster CA alone, the DNS name in it, else 502; `client`: the file of the certificate and key it presents."""
    lines = ["proxy_ssl_verify on;", f"proxy_ssl_trusted_certificate {ca};", f"proxy_ssl_name {name};", "proxy_ssl_protocols TLSv1.2 TLSv1.3;"]
    if client:
        lines += [f"proxy_ssl_certificate {client};", f"proxy_ssl_certificate_key {client};"]
    return "".join(f"        {line}\n" for line in lines)


def render(mesos, marathon, apps, listen, access, marathon_tls=None, mesos_tls=None):
    """The nginx server file: the default server by path, one server per routed host name.

    marathon_tls: (CA file, DNS name) when Marathon speaks HTTPS only, else None.
    mesos_tls: (CA file, client certificate and key file, DNS name) when the masters speak HTTPS only, else None.
    """
    routes = app_routes(apps)
    leaders = [("mesos_leader", [mesos] if mesos else []), ("marathon_leader", [marathon] if marathon else [])]
    out = ["# Written by edge-routes; every run replaces it.\n"]
    out += [upstream(name, backends) for name, backends in leaders]
    out += [upstream(name, backends) for name, _, _, backends in routes]
    headers = (
        # Relative Locations: nginx would otherwise name itself http on its own port, behind a TLS load balancer.
        "    absolute_redirect off;\n"
        "    proxy_set_header Host $host;\n"
        "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "    proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;\n"
        "    proxy_http_version 1.1;\n"
    )
    out.append(f"server {{\n    listen {listen} default_server;\n{headers}")
    out.append("    location = /edge-health {\n        return 200 \"ok\\n\";\n    }\n")
    # The UIs live at the root of their servers: /mesos/x reaches the leader as /x. Admins only:
    # the masters answer reads without credentials (tasks, their environment).
    admins = admins_only(access)
    mesos_extra = admins + (tls_checks(mesos_tls[0], mesos_tls[2], mesos_tls[1]) if mesos_tls else "")
    out.append(proxy("/mesos/", "mesos_leader", leaders[0][1], "/", mesos_extra, "https" if mesos_tls else "http"))
    # Marathon redirects within its root (/ to /ui/, /ui to /ui/): keep them under /marathon/.
    marathon_extra = admins + "        proxy_redirect / /marathon/;\n" + (tls_checks(*marathon_tls) if marathon_tls else "")
    out.append(proxy("/marathon/", "marathon_leader", leaders[1][1], "/", marathon_extra, "https" if marathon_tls else "http"))
    # An app routed by path serves that path itself (Jenkins: --prefix), so the URI passes as is.
    out += [proxy(f"{path}/", name, backends) for name, _, path, backends in routes if path]
    out.append("}\n")
    for name, host, _, backends in routes:
        if host:
            out.append(f"server {{\n    listen {listen};\n    server_name {host};\n{headers}{proxy('/', name, backends)}}}\n")
    return "".join(out)


def install(text, out, nginx):
    """Installs the file when it differs and nginx accepts it; True when nginx must reload."""
    try:
        with open(out, encoding="utf-8") as current:
            if current.read() == text:
                return False
    except FileNotFoundError:
        pass
    previous = out + ".previous"
    if os.path.exists(out):
        os.replace(out, previous)
    with open(out + ".new", "w", encoding="utf-8") as new:
        new.write(text)
    os.replace(out + ".new", out)
    if subprocess.run([*nginx, "-t", "-q"], check=False).returncode != 0:
        print(f"edge-routes: nginx -t refused the new {out}; keeping the previous one", file=sys.stderr)
        if os.path.exists(previous):
            os.replace(previous, out)
        else:
            os.remove(out)
        return False
    return True


def main():
    parser = argparse.ArgumentParser(description="nginx routes to the Mesos and Marathon leaders and to Marathon apps")
    parser.add_argument("--masters", default="")
    parser.add_argument("--marathons", default="", help="the Marathon servers: the only endpoints taken as Marathon's leader")
    parser.add_argument("--marathon-framework", default="marathon", help="the name Marathon registers its framework with")
    parser.add_argument("--marathon-principal", default="marathon", help="the Mesos principal Marathon registers as")
    parser.add_argument("--admin-cidrs", required=True, help="the networks /mesos/ and /marathon/ answer")
    parser.add_argument("--load-balancer-cidrs", required=True, help="where the load balancer connects from: its X-Forwarded-For is believed")
    parser.add_argument("--listen", default="80", help="nginx listen address: a port, or address:port")
    parser.add_argument("--marathon-ca", help="Marathon speaks HTTPS only: the CA file its certificate is checked against")
    parser.add_argument("--marathon-tls-name", help="with --marathon-ca: the DNS name Marathon's certificate must carry")
    parser.add_argument("--mesos-ca", help="the masters speak HTTPS only: the CA file their certificate is checked against")
    parser.add_argument("--mesos-cert", help="with --mesos-ca: the client certificate and its key (one file) the masters require")
    parser.add_argument("--mesos-tls-name", help="with --mesos-ca: the DNS name the masters' certificate must carry (nginx's check)")
    parser.add_argument("--out", default="/etc/nginx/conf.d/mesos-cluster-edge.conf")
    parser.add_argument("--nginx-conf", default="/etc/nginx/nginx.conf", help="the nginx configuration to test and reload")
    parser.add_argument("--interval", type=float, default=10.0)
    parser.add_argument("--once", action="store_true")
    parser.add_argument("--render", action="store_true", help="print the file for recorded master answers, nothing else")
    parser.add_argument("--summary", help="with --render: a recorded /master/state-summary answer")
    parser.add_argument("--frameworks", help="with --render: a recorded /master/frameworks answer")
    parser.add_argument("--mesos-leader")
    args = parser.parse_args()
    access = (cidrs(args.admin_cidrs), cidrs(args.load_balancer_cidrs))
    marathon_tls = None
    if args.marathon_ca is not None or args.marathon_tls_name is not None:
        if not FILE_PATH.match(args.marathon_ca or "") or not HOST_NAME.match(args.marathon_tls_name or ""):
            parser.error("--marathon-ca needs an absolute path and --marathon-tls-name a DNS name, both together")
        marathon_tls = (args.marathon_ca, args.marathon_tls_name)
    mesos_tls = None
    if args.mesos_ca is not None or args.mesos_cert is not None or args.mesos_tls_name is not None:
        if not FILE_PATH.match(args.mesos_ca or "") or not FILE_PATH.match(args.mesos_cert or "") or not HOST_NAME.match(args.mesos_tls_name or ""):
            parser.error("--mesos-ca and --mesos-cert need absolute paths and --mesos-tls-name a DNS name, all three together")
        mesos_tls = (args.mesos_ca, args.mesos_cert, args.mesos_tls_name)
    scheme = "https" if marathon_tls else "http"
    masters = [m for m in args.masters.split(",") if m]
    marathons = [m for m in args.marathons.split(",") if m]
    if args.render:
        with open(args.summary, encoding="utf-8") as summary, open(args.frameworks, encoding="utf-8") as frameworks:
            agents = {agent["id"]: agent["hostname"] for agent in json.load(summary)["slaves"]}
            framework = next((f for f in json.load(frameworks)["frameworks"] if f.get("principal") == args.marathon_principal), None)
        apps = marathon_apps(framework, agents) if framework else []
        sys.stdout.write(render(args.mesos_leader, marathon_leader(framework, marathons, scheme), apps, args.listen, access, marathon_tls, mesos_tls))
        return 0
    nginx = ["nginx", "-c", args.nginx_conf]
    opener = MesosHttps(mesos_tls) if mesos_tls else None
    while True:
        leader = mesos_leader(masters, opener)
        state = marathon_framework(leader, args.marathon_framework, args.marathon_principal, opener) if leader else None
        # Without an answer from the masters, or before Marathon is registered again (a master
        # failover), the routes stay as they are: never empty them on a blip. The first run writes them.
        if state is not None and (state[1] is not None or not os.path.exists(args.out)):
            agents, framework = state
            apps = marathon_apps(framework, agents) if framework else []
            text = render(leader, marathon_leader(framework, marathons, scheme), apps, args.listen, access, marathon_tls, mesos_tls)
            if install(text, args.out, nginx):
                subprocess.run([*nginx, "-s", "reload"], check=False)
        if args.once:
            return 0
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
