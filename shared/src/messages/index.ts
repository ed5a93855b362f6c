export * from './types.ts';
export * from './codes.ts';
export * from './codec.ts';
export * from './game-frames.ts';
export * from './field-edit.ts';
