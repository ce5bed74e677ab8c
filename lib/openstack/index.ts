export { OpenstackClusterStack, OpenstackClusterStackProps } from './cluster-stack';
