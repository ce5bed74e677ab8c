"""Starts moto's AWS emulator on 127.0.0.1 at a free port and prints `listening <port>`.

One behaviour of moto 5.2.1 is corrected before the server starts (listed with the others in lib/emulator/moto-quirks.ts):
a network interface that EC2 creates at launch is deleted, and its private address freed, when the
instance terminates, as on AWS. Stock moto keeps it, so `terraform apply -replace` of a server at a
fixed address fails with "IP already in use". Nothing else is changed.

With --detached (the sandbox's kept emulator) it outlives its parent: it serves until SIGTERM or
SIGINT, its stdout goes to /dev/null once the port is printed, and stdin is not read.
"""
import logging
import os
import signal
import sys

from moto.ec2.models.instances import Instance
from moto.server import ThreadedMotoServer

_original_prep_nics = Instance.prep_nics


def _prep_nics_deleting_launch_interfaces(self, nic_spec, *args, **kwargs):
    _original_prep_nics(self, nic_spec, *args, **kwargs)
    given = {nic.get("NetworkInterfaceId") for nic in nic_spec if nic.get("NetworkInterfaceId")}
    for nic in self.nics.values():
        if nic.id not in given:
            nic.delete_on_termination = True


_original_terminate = Instance.terminate


def _terminate_freeing_addresses(self):
    state = _original_terminate(self)
    # The interface's delete() freed its addresses; forget them so a later __del__ cannot free
    # an address a replacement instance holds by then.
    self._private_ips.clear()
    return state


Instance.prep_nics = _prep_nics_deleting_launch_interfaces
Instance.terminate = _terminate_freeing_addresses


def main():
    # One line per request would fill a pipe nobody reads while Terraform runs.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    # Nothing to save: leave at once on a signal or when the parent closes stdin (it died).
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    print(f"listening {server.get_host_and_port()[1]}", flush=True)
    if "--detached" in sys.argv[1:]:
        # The parent stops reading once it has the port; a later write must not hit a closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        while True:
            signal.pause()
    sys.stdin.read()
    os._exit(0)


if __name__ == "__main__":
    main()
