/** A UUID, as OpenStack writes ids: a setting that matches is taken for an id, anything else for a name. */
export const OPENSTACK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
