export * from './certificate.ts';
export * from './csr.ts';
export * from './verify.ts';
export * from './keys.ts';
