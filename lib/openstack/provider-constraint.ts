/** The provider the bindings in ./generated were generated for (reference/openstack, release 3.4.0). */
export const OPENSTACK_PROVIDER_SOURCE = 'terraform-provider-openstack/openstack';
export const OPENSTACK_PROVIDER_CONSTRAINT = '~> 3.4';
