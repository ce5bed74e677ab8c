/**
 * The agents an Auto Scaling group holds according to one side of a plan: its desired capacity,
 * held within min_size and max_size. An elastic pool's desired capacity is ignored by Terraform
 * (its scaling policy owns it), so a plan moves its bounds, not its size: a max lowered below
 * the running size removes agents all the same, and a min raised above it adds them. For a
 * fixed pool min = desired = max, so this is its count.
 */
export function groupCapacity(values: Record<string, any> | null | undefined): number {
  const desired = Number(values?.desired_capacity ?? 0);
  const min = numberOr(values?.min_size, 0);
  const max = numberOr(values?.max_size, Infinity);
  return Math.max(min, Math.min(max, desired));
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
