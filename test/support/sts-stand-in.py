"""
Test harness: answers STS GetCallerIdentity (the one AWS call an offline plan makes, for the
stack's data.aws_caller_identity) on a free loopback port, with a fixed documentation account.

Usage: python3 sts-stand-in.py PORT_FILE
Writes the port to PORT_FILE once listening and serves until its parent process goes.
"""
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = b"""<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/offline-plan</Arn>
    <UserId>AIDAOFFLINEPLAN000000</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"""


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        ok = "Action=GetCallerIdentity" in body
        self.send_response(200 if ok else 400)
        self.send_header("Content-Type", "text/xml")
        self.end_headers()
        self.wfile.write(ANSWER if ok else b"<Error>only GetCallerIdentity</Error>")

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
parent = os.getppid()
while os.getppid() == parent:
    time.sleep(1)
