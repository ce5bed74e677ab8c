import { Construct } from 'constructs';
import { DataOpenstackImagesImageV2 } from './generated/providers/openstack/data-openstack-images-image-v2';
import { OPENSTACK_ID } from './openstack-id';

/**
 * The id of the base image: given as an id it is used as it is; given as a name it is looked up
 * (the newest image of that name), since root volumes are created from an image id.
 */
export function baseImageId(scope: Construct, id: string, image: string): string {
  if (OPENSTACK_ID.test(image)) return image;
  return new DataOpenstackImagesImageV2(scope, id, { name: image, mostRecent: true }).id;
}
