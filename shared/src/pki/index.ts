export * from './certificate.ts';
export * from './csr.ts';
export * from './verify.ts';
export * from './keys.ts';
export * from './path.ts';
export * from './trust-store.ts';
export * from './x509.ts';
export * from './ocsp.ts';
