"""Starts moto's AWS emulator on 127.0.0.1 at a free port and prints `listening <port>`.

One behaviour of moto 5.2.1 is corrected as soon as moto loads its EC2 models (listed with the others in lib/emulator/moto-quirks.ts):
a network interface that EC2 creates at launch is deleted, and its private address freed, when the
instance terminates, as on AWS. Stock moto keeps it, so `terraform apply -replace` of a server at a
fixed address fails with "IP already in use". Nothing else is changed.

With --detached (the sandbox's kept emulator) it outlives its parent: it serves until SIGTERM or
SIGINT, its stdout goes to /dev/null once the port is printed, and stdin is not read.

Otherwise it reads commands on stdin, one a line, until EOF (its parent died or is done):
`save <file>` writes moto's whole state to <file> and answers `saved`, or `failed <why>`.
`--load <file>` starts the server from such a file, so that many tests can share one applied cluster
instead of applying it each (docs/test-lanes.md). The state is moto's in-memory backends pickled as
they are, so a file loads only into the same moto version (the tests key their copy by it); the
corrections above patch classes, not objects, and so hold for loaded instances too.
"""
import copyreg
import datetime
import importlib.abc
import importlib.util
import logging
import os
import pickle
import signal
import sys

import moto.backends
from moto.server import ThreadedMotoServer

# Importing moto's EC2 costs more than a CPU-second, and a server that only answers other services
# (CloudWatch, SSM, S3, DynamoDB) never needs it: the correction is made when EC2 is first imported.
INSTANCES_MODULE = "moto.ec2.models.instances"


def _correct_instances(instance_class):
    original_prep_nics = instance_class.prep_nics
    original_terminate = instance_class.terminate

    def prep_nics_deleting_launch_interfaces(self, nic_spec, *args, **kwargs):
        original_prep_nics(self, nic_spec, *args, **kwargs)
        given = {nic.get("NetworkInterfaceId") for nic in nic_spec if nic.get("NetworkInterfaceId")}
        for nic in self.nics.values():
            if nic.id not in given:
                nic.delete_on_termination = True

    def terminate_freeing_addresses(self):
        state = original_terminate(self)
        # The interface's delete() freed its addresses; forget them so a later __del__ cannot free
        # an address a replacement instance holds by then.
        self._private_ips.clear()
        return state

    instance_class.prep_nics = prep_nics_deleting_launch_interfaces
    instance_class.terminate = terminate_freeing_addresses


class _CorrectOnImport(importlib.abc.MetaPathFinder):
    """Finds the instances module as usual, and corrects its Instance class once it has run."""

    def find_spec(self, name, path, target=None):
        if name != INSTANCES_MODULE:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run_module = spec.loader.exec_module

        def exec_module(module):
            run_module(module)
            _correct_instances(module.Instance)

        spec.loader.exec_module = exec_module
        return spec


if INSTANCES_MODULE in sys.modules:
    _correct_instances(sys.modules[INSTANCES_MODULE].Instance)
else:
    sys.meta_path.insert(0, _CorrectOnImport())


def _backends_in_use():
    """Every service backend that holds anything (an account touched), by service name."""
    used = {}
    for name in moto.backends.list_of_moto_modules():
        safe_name = name.replace("-", "")
        # A service no request has reached is not imported yet, and importing all of them takes seconds.
        if f"moto.{moto.backends.ALT_SERVICE_NAMES.get(safe_name, safe_name)}" not in sys.modules:
            continue
        try:
            backends = moto.backends.get_backend(name)
        except (AttributeError, ImportError):  # a name that is no service of its own (`core`)
            continue
        if len(backends) > 0:
            used[name] = backends
    return used


# Keys and certificates (ACM's, KMS's) are Rust objects that pickle cannot take: they are saved as PEM.
# cryptography is imported only to save or load them: a server that does neither never needs it.
def _private_key(pem):
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(pem, password=None)


def _public_key(pem):
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_public_key(pem)


def _certificate(pem):
    from cryptography import x509

    return x509.load_pem_x509_certificate(pem)


def _pickle_keys_as_pem():
    """Registers the PEM form for each concrete key and certificate class (pickle looks up the exact class)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID

    ec_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "moto")])
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(ec_key.public_key()).serial_number(1)
        .not_valid_before(datetime.datetime(2020, 1, 1)).not_valid_after(datetime.datetime(2030, 1, 1))
        .sign(ec_key, hashes.SHA256())
    )
    private_pem = (serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    public_pem = (serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    for key in (ec_key, rsa.generate_private_key(public_exponent=65537, key_size=1024)):
        copyreg.pickle(type(key), lambda k: (_private_key, (k.private_bytes(*private_pem),)))
        copyreg.pickle(type(key.public_key()), lambda k: (_public_key, (k.public_bytes(*public_pem),)))
    copyreg.pickle(type(certificate), lambda c: (_certificate, (c.public_bytes(serialization.Encoding.PEM),)))


def save_state(path):
    _pickle_keys_as_pem()
    # Pickled in one piece, so objects that refer to each other across services stay one graph.
    data = pickle.dumps(_backends_in_use())
    partial = f"{path}.partial"
    with open(partial, "wb") as out:
        out.write(data)
    os.replace(partial, path)


def load_state(path):
    with open(path, "rb") as saved:
        state = pickle.load(saved)
    for name, backends in state.items():
        live = moto.backends.get_backend(name)
        live.clear()
        live.update(backends)


def serve_commands():
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "save" and argument:
            try:
                save_state(argument)
                print("saved", flush=True)
            except Exception as error:  # the parent reads one answer line per command
                print(f"failed {type(error).__name__}: {error}".replace("\n", " "), flush=True)
        else:
            print(f"failed unknown command {line.strip()!r}", flush=True)


def main():
    # One line per request would fill a pipe nobody reads while Terraform runs.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    args = sys.argv[1:]
    if "--load" in args:
        load_state(args[args.index("--load") + 1])
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    # Nothing to flush: leave at once on a signal or when the parent closes stdin (it died or is done).
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    print(f"listening {server.get_host_and_port()[1]}", flush=True)
    if "--detached" in args:
        # The parent stops reading once it has the port; a later write must not hit a closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        while True:
            signal.pause()
    serve_commands()
    os._exit(0)


if __name__ == "__main__":
    main()
