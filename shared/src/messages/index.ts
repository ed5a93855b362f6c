export * from './types.ts';
export * from './codes.ts';
export * from './codec.ts';
