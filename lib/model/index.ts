export * from './spec';
export * from './defaults';
export * from './roles';
export * from './ports';
export * from './problems';
export * from './topology';
export * from './load';
export { formatAttributes } from './mesos-syntax';
