/**
 * What a pull request allows, from its labels: `allow-replace:zookeeper-2` names a quorum
 * server that may be replaced, `allow-quorum-resize` says the documented resize procedure is followed.
 */
export interface ChangeOverrides {
  readonly allowReplace: readonly string[];
  readonly allowQuorumResize: boolean;
}

const ALLOW_REPLACE = 'allow-replace:';

export function overridesFromLabels(labels: readonly string[]): ChangeOverrides {
  const allowReplace = labels.filter((l) => l.startsWith(ALLOW_REPLACE)).flatMap((l) => l.slice(ALLOW_REPLACE.length).split(','));
  return { allowReplace: allowReplace.map((n) => n.trim()).filter((n) => n !== ''), allowQuorumResize: labels.includes('allow-quorum-resize') };
}
