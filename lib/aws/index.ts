export { AwsClusterStack, AwsClusterStackProps } from './cluster-stack';
