import { Construct } from 'constructs';
import { NodeIdentity } from '../model';
import { DataOpenstackIdentityAuthScopeV3 } from './generated/providers/openstack/data-openstack-identity-auth-scope-v3';
import { IdentityApplicationCredentialV3 } from './generated/providers/openstack/identity-application-credential-v3';
import { StackMetadataKey } from './metadata';


/** Barbican's service type in the Keystone catalog, which the node's reader (barbican-secret.py) looks up. */
const KEY_MANAGER_SERVICE = 'key-manager';

/**
 * What fetch-secrets does with a credential, and nothing else (Keystone access rules: `*` is one
 * path segment). Listing by name is needed because the rules cannot name a secret before it
 * exists: a UUID-pinned rule would tie the credential to one generation of the secret.
 */
export const SECRET_READER_ACCESS_RULES = [
  { service: KEY_MANAGER_SERVICE, method: 'GET', path: '/v1/secrets' },
  { service: KEY_MANAGER_SERVICE, method: 'GET', path: '/v1/secrets/*/payload' },
] as const;

export interface SecretCredentialsProps {
  readonly clusterName: string;
  /** The node identities of the cluster; those that read no secret get no credential. */
  readonly identities: readonly NodeIdentity[];
}

type CredentialMetadata = { readonly [key in Extract<StackMetadataKey, `secrets-${string}`>]: string };

/**
 * OpenStack has no instance identity: each node identity that reads secrets (masters,
 * Marathon, each pool, the edge) gets a Keystone application credential of the deploying user,
 * restricted by access rules to reading Barbican, and its servers get the id and secret in
 * their metadata (config drive), with the Keystone URL to use it at. Both sit in Terraform
 * state and Nova metadata: docs/secrets.md#what-this-exposes-compared-with-aws says what that
 * exposes.
 */
export class SecretCredentials extends Construct {
  private readonly byIdentity = new Map<string, IdentityApplicationCredentialV3>();
  private readonly authUrl: string;

  constructor(scope: Construct, id: string, props: SecretCredentialsProps) {
    super(scope, id);
    const scopeInfo = new DataOpenstackIdentityAuthScopeV3(this, 'keystone', { name: 'mesos-cluster' });
    // The public identity endpoint of the deploying user's own catalog: nodes reach it as the operator does.
    this.authUrl =
      `\${[for s in ${scopeInfo.fqn}.service_catalog : [for e in s.endpoints : e.url if e.interface == "public"] if s.type == "identity"][0][0]}`;
    for (const identity of props.identities.filter((i) => i.secrets.length > 0)) {
      this.byIdentity.set(
        identity.name,
        new IdentityApplicationCredentialV3(this, identity.name, {
          name: `${props.clusterName}-${identity.name}-secrets`,
          description: `mesos-cluster ${props.clusterName}: ${identity.name} nodes read their secrets from Barbican at boot`,
          unrestricted: false,
          accessRules: SECRET_READER_ACCESS_RULES.map((rule) => ({ ...rule })),
        }),
      );
    }
  }

  /** Metadata for the servers of an identity; empty when it reads no secret. */
  metadataFor(identity: string): Partial<CredentialMetadata> {
    const credential = this.byIdentity.get(identity);
    if (credential === undefined) return {};
    return { 'secrets-auth-url': this.authUrl, 'secrets-credential-id': credential.id, 'secrets-credential-secret': credential.secret };
  }
}
