/**
 * Making and checking the cluster CA's certificates with @peculiar/x509 (maintained, typed, on
 * WebCrypto: ECDSA P-256 keys from Node's own crypto). Every value is PEM: a certificate followed
 * by its private key (PKCS#8), one string, so a store holds a certificate and its key atomically.
 */
import 'reflect-metadata';
import { createPrivateKey, createPublicKey, randomBytes, webcrypto, X509Certificate as NodeCertificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, id_ce_nameConstraints, NameConstraints } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { CertificatePlan } from '../model';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as never);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
export const CA_VALIDITY_DAYS = 3650;
/** Server certificates and pools' issuing CAs; reissued by `npm run secrets` once fewer than RENEW_BEFORE_DAYS remain. */
export const ISSUED_VALIDITY_DAYS = 730;
export const RENEW_BEFORE_DAYS = 90;

/** A certificate and its key, as PEM. */
export interface KeyedCertificate {
  readonly certificatePem: string;
  readonly keyPem: string;
}

/** The stored form: certificate, then key. */
export const bundlePem = (c: KeyedCertificate) => `${c.certificatePem.trim()}\n${c.keyPem.trim()}\n`;

/** The certificate and key of a stored bundle, or undefined when it is not one. */
export function parseBundle(value: string): KeyedCertificate | undefined {
  const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(value)?.[0];
  const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(value)?.[0];
  if (certificate === undefined || key === undefined) return undefined;
  try {
    if (!new NodeCertificate(certificate).checkPrivateKey(createPrivateKey(key))) return undefined;
  } catch {
    return undefined;
  }
  return { certificatePem: `${certificate}\n`, keyPem: `${key}\n` };
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function keyPemOf(keys: CryptoKeyPair): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
}

async function signingKeyOf(keyPem: string): Promise<CryptoKey> {
  const der = createPrivateKey(keyPem).export({ format: 'der', type: 'pkcs8' });
  return webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, false, ['sign']);
}

/** A positive 128-bit serial. */
const serial = () => `01${randomBytes(15).toString('hex')}`;

const validity = (days: number, now: Date) => ({ notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + days * DAY_MS) });

/** The cluster's root: a self-signed CA. */
export async function newClusterCa(cluster: string, now = new Date()): Promise<KeyedCertificate> {
  const keys = await newKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${cluster} cluster CA, O=mesos-cluster`,
    ...validity(CA_VALIDITY_DAYS, now),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: certificate.toString('pem'), keyPem: await keyPemOf(keys) };
}

/**
 * A pool's CA can sign for addresses in its subnets and nowhere else, and for no DNS name at all:
 * constraints bind only the name types they list (RFC 5280 4.2.1.10), and clients that check a
 * DNS name (the framework proxy's HAProxy, the edge's nginx) take the masters' and Marathon's
 * names as their identity. An empty dNSName base matches every name (OpenSSL's nc_dns).
 */
export function nameConstraintsExtension(cidrs: readonly string[]): x509.Extension {
  const permitted = new GeneralSubtrees(cidrs.map((cidr) => new GeneralSubtree({ base: new GeneralName({ iPAddress: cidr }) })));
  const excluded = new GeneralSubtrees([new GeneralSubtree({ base: new GeneralName({ dNSName: '' }) })]);
  return new x509.Extension(id_ce_nameConstraints, true, AsnConvert.serialize(new NameConstraints({ permittedSubtrees: permitted, excludedSubtrees: excluded })));
}

/** What a plan's certificate may do and names. */
function extensionsOf(plan: CertificatePlan): x509.Extension[] {
  switch (plan.kind) {
    case 'server':
      return [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        // libprocess is client and server on every connection it makes or takes.
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
        new x509.SubjectAlternativeNameExtension(
          [...plan.ips.map((ip) => ({ type: 'ip' as const, value: ip })), ...(plan.dnsNames ?? []).map((name) => ({ type: 'dns' as const, value: name }))],
          false,
        ),
      ];
    case 'pool-ca':
      return [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        nameConstraintsExtension(plan.cidrs),
      ];
    case 'client':
      // A client only: OpenSSL checks a client certificate's purpose (clientAuth); libprocess no name.
      return [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      ];
  }
}

/** Issues what a plan describes (a server or client certificate, or a pool's issuing CA), signed by the CA. */
export async function issue(ca: KeyedCertificate, plan: CertificatePlan, now = new Date()): Promise<KeyedCertificate> {
  const issuer = new x509.X509Certificate(ca.certificatePem);
  const keys = await newKeys();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${plan.commonName}, O=mesos-cluster`,
    issuer: issuer.subject,
    ...validity(ISSUED_VALIDITY_DAYS, now),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: await signingKeyOf(ca.keyPem),
    extensions: [
      ...extensionsOf(plan),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer),
    ],
  });
  return { certificatePem: certificate.toString('pem'), keyPem: await keyPemOf(keys) };
}

/**
 * Why a stored bundle cannot stay, or undefined when it can: it must be signed by this CA, cover
 * exactly what the plan says (the servers' addresses and DNS names, the pool's subnets and no DNS name, a client's use) and be valid for
 * RENEW_BEFORE_DAYS more.
 */
export function staleness(stored: KeyedCertificate, ca: KeyedCertificate, plan: CertificatePlan, now = new Date()): string | undefined {
  const certificate = new NodeCertificate(stored.certificatePem);
  if (!certificate.verify(createPublicKey(ca.certificatePem))) return 'not signed by the cluster CA';
  if (new Date(certificate.validTo).getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS) return `expires ${certificate.validTo}`;
  if (plan.kind === 'client') {
    return sameSet(certificate.keyUsage ?? [], [CLIENT_AUTH]) && !certificate.ca ? undefined : 'not a client-only certificate (clientAuth)';
  }
  if (plan.kind === 'server') {
    // Node writes them as "IP Address:10.0.0.1, DNS:marathon.x.internal".
    const names = (certificate.subjectAltName ?? '').split(', ').map((name) => name.replace(/^(IP Address|DNS):/, ''));
    const planned = [...plan.ips, ...(plan.dnsNames ?? [])];
    return sameSet(names, planned) ? undefined : `names ${names.join(', ')}, not ${planned.join(', ')}`;
  }
  const constraints = new x509.X509Certificate(stored.certificatePem).getExtension(id_ce_nameConstraints);
  const expected = Buffer.from(nameConstraintsExtension(plan.cidrs).value).toString('hex');
  return constraints !== null && Buffer.from(constraints.value).toString('hex') === expected ? undefined : `does not permit exactly ${plan.cidrs.join(', ')} and exclude every DNS name`;
}

/** id-kp-clientAuth (RFC 5280 4.2.1.12). */
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();
