#!/usr/bin/python3
"""Edge routes: renders nginx's routes to the Mesos and Marathon leaders and to Marathon apps.

Every run asks the masters for the leading master (/master/redirect) and Marathon for its leader
(/v2/leader) and its apps with their tasks (/v2/apps?embed=apps.tasks), renders one nginx
server file, and installs it only when it changed and `nginx -t` accepts it; then nginx reloads.
An app is routed when its labels ask for it:
  MESOS_CLUSTER_EDGE_PATH=/jenkins/team-a   every request under that path (the app serves it)
  MESOS_CLUSTER_EDGE_HOST=team-a.ci.example every request for that host name
Labels come from whoever may deploy apps, so values that are not plain host names or paths are
skipped: they never reach nginx's configuration.
Usage: edge-routes --masters ip:port,... --marathons ip:port,... [--out FILE] [--listen PORT]
                   [--nginx-conf FILE] [--credentials FILE] [--once | --interval SECONDS]
       edge-routes --render --apps FILE --mesos-leader ip:port --marathon-leader ip:port
"""
import argparse
import base64
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

HOST_LABEL = "MESOS_CLUSTER_EDGE_HOST"
PATH_LABEL = "MESOS_CLUSTER_EDGE_PATH"
HOST_NAME = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
PATH = re.compile(r"^(/[A-Za-z0-9._-]+)+$")
ENDPOINT = re.compile(r"^[A-Za-z0-9.-]+:[0-9]{1,5}$")
RESERVED_PATHS = ("/mesos", "/marathon", "/edge-health")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def request(endpoint, path, login=None):
    """(status, headers, body) of GET http://endpoint/path; redirects are answers, not followed."""
    req = urllib.request.Request(f"http://{endpoint}{path}")
    if login:
        req.add_header("Authorization", "Basic " + base64.b64encode(login.encode()).decode())
    try:
        with OPENER.open(req, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def mesos_leader(masters):
    """host:port of the leading master: any master answers /master/redirect with 307 //leader."""
    for master in masters:
        try:
            status, headers, _ = request(master, "/master/redirect")
        except OSError:
            continue
        location = (headers.get("Location") or "").removeprefix("http:").removeprefix("//")
        if status == 307 and ENDPOINT.match(location):
            return location
    return None


def marathon_state(marathons, login):
    """(leader host:port, apps) from the first Marathon that answers both."""
    for marathon in marathons:
        try:
            status, _, body = request(marathon, "/v2/leader", login)
            if status != 200:
                continue
            leader = json.loads(body).get("leader")
            status, _, body = request(marathon, "/v2/apps?embed=apps.tasks", login)
            if status == 200:
                return (leader if ENDPOINT.match(leader or "") else None), json.loads(body)["apps"]
            print(f"edge-routes: Marathon {marathon} answered /v2/apps with {status}", file=sys.stderr)
        except (OSError, ValueError, KeyError) as error:
            print(f"edge-routes: Marathon {marathon}: {error}", file=sys.stderr)
    return None, None


def app_routes(apps):
    """[(upstream name, host or None, path or None, [host:port])] for apps that ask for a route."""
    routes = []
    seen_hosts, seen_paths = set(), set(RESERVED_PATHS)
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
        routes.append((name, host, path, backends))
    return routes


def upstream(name, backends):
    servers = "".join(f"    server {b};\n" for b in backends)
    return f"upstream {name} {{\n{servers}}}\n" if backends else ""


def proxy(location, name, backends, uri=""):
    target = f"proxy_pass http://{name}{uri};" if backends else "return 503;"
    return f"    location {location} {{\n        {target}\n    }}\n"


def render(mesos, marathon, apps, listen):
    """The nginx server file: the default server by path, one server per routed host name."""
    routes = app_routes(apps)
    leaders = [("mesos_leader", [mesos] if mesos else []), ("marathon_leader", [marathon] if marathon else [])]
    out = ["# Written by edge-routes; every run replaces it.\n"]
    out += [upstream(name, backends) for name, backends in leaders]
    out += [upstream(name, backends) for name, _, _, backends in routes]
    headers = (
        "    proxy_set_header Host $host;\n"
        "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "    proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;\n"
        "    proxy_http_version 1.1;\n"
    )
    out.append(f"server {{\n    listen {listen} default_server;\n{headers}")
    out.append("    location = /edge-health {\n        return 200 \"ok\\n\";\n    }\n")
    # The UIs live at the root of their servers: /mesos/x reaches the leader as /x.
    out.append(proxy("/mesos/", "mesos_leader", leaders[0][1], "/"))
    out.append(proxy("/marathon/", "marathon_leader", leaders[1][1], "/"))
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
    parser.add_argument("--marathons", default="")
    parser.add_argument("--listen", default="80", help="nginx listen address: a port, or address:port")
    parser.add_argument("--out", default="/etc/nginx/conf.d/mesos-cluster-edge.conf")
    parser.add_argument("--nginx-conf", default="/etc/nginx/nginx.conf", help="the nginx configuration to test and reload")
    parser.add_argument("--credentials", help="a file holding Marathon's user:password (HTTP basic auth)")
    parser.add_argument("--interval", type=float, default=10.0)
    parser.add_argument("--once", action="store_true")
    parser.add_argument("--render", action="store_true", help="print the file for recorded apps, nothing else")
    parser.add_argument("--apps", help="with --render: a recorded /v2/apps?embed=apps.tasks answer")
    parser.add_argument("--mesos-leader")
    parser.add_argument("--marathon-leader")
    args = parser.parse_args()
    if args.render:
        with open(args.apps, encoding="utf-8") as recorded:
            apps = json.load(recorded)["apps"]
        sys.stdout.write(render(args.mesos_leader, args.marathon_leader, apps, args.listen))
        return 0
    login = None
    if args.credentials and os.path.exists(args.credentials):
        with open(args.credentials, encoding="utf-8") as held:
            login = held.read().strip()
    nginx = ["nginx", "-c", args.nginx_conf]
    masters = [m for m in args.masters.split(",") if m]
    marathons = [m for m in args.marathons.split(",") if m]
    while True:
        leader, apps = marathon_state(marathons, login)
        # Without an answer from Marathon the routes stay as they are: never empty them on a blip.
        if apps is not None and install(render(mesos_leader(masters), leader, apps, args.listen), args.out, nginx):
            subprocess.run([*nginx, "-s", "reload"], check=False)
        if args.once:
            return 0
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
