export { AwsClusterStack, AwsClusterStackProps } from './cluster-stack';
export { agentLifecycleStatements, IamStatement } from './agent-lifecycle-statements';
