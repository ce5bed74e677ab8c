/** An HTTP answer as the probes need it. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** HTTP basic credentials (Marathon's API user, a Mesos principal). */
export interface HttpCredentials {
  readonly user: string;
  readonly password: string;
}

/** A TLS client certificate and its key (PEM), for a server that requires one. */
export interface ClientCertificate {
  readonly certificatePem: string;
  readonly keyPem: string;
}

/** HTTPS checked against `caPem` alone, the name checked being the address asked (the certificates' IP SANs). */
export interface HttpsTrust {
  readonly caPem: string;
  /** Presented to the server: Mesos with `tls.mesos` requires one (the operator's `tls/operator`). @default - none */
  readonly client?: ClientCertificate;
}

/**
 * How `verify` reaches the cluster's private addresses. Checks speak only to this, so the same
 * checks run through SSH and the bastion (ssh-transport.ts) or straight to loopback servers in
 * tests (direct-transport.ts).
 */
export interface Transport {
  /** Sends a ZooKeeper four-letter word to host:port; the answer, or '' when nothing answers. */
  fourLetterWord(host: string, port: number, word: string): Promise<string>;
  /**
   * `GET http://host:port<path>` without following redirects, with HTTP basic `credentials` when
   * given (never on a command line); undefined when nothing answers. With `https`, over TLS to a
   * server whose certificate for `host` the CA signed; a server it did not sign gets no request.
   * A client certificate's key is never written to a disk, here or on a node.
   */
  httpGet(host: string, port: number, path: string, credentials?: HttpCredentials, https?: HttpsTrust): Promise<HttpAnswer | undefined>;
  /** Releases connections. */
  close(): Promise<void>;
}
