/** The example clusters' tokens (both have the pools jenkins-masters and builds), written out: what the tests expect in a store. */
export const EXAMPLE_TOKEN_NAMES = [
  'mesos-master/zk-password',
  'marathon/zk-password',
  'marathon/http-password',
  'marathon/mesos-secret',
  'frameworks/jenkins/mesos-secret',
  'operator/mesos-secret',
  'pools/jenkins-masters/mesos-secret',
  'pools/builds/mesos-secret',
  'pools/jenkins-masters/executor-jwt-key',
  'pools/builds/executor-jwt-key',
] as const;
