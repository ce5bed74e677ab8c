/**
 * Arguments of a server Terraform must not act on after creation. Each would replace (ForceNew:
 * `user_data`; `block_device`, whose attributes are all ForceNew and whose `uuid` is the image)
 * or resize (`flavor_name`) every member of a quorum at once when the image, the flavor or the
 * user-data changes: the lesson from production. Roll them one server at a time with
 * `terraform apply -replace=<address>` instead (docs/operations.md#rolling-a-change-to-servers).
 * `image_id` and `image_name` are never set (the root disk is a volume from the image), but are
 * listed so that a later change to booting from the image cannot reintroduce the restart.
 */
export const SERVER_IGNORE_AFTER_CREATION = ['user_data', 'block_device', 'flavor_name', 'image_id', 'image_name'] as const;
