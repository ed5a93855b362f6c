/**
 * The crypto layer in one import: the primitives (X25519 RFC 7748, Ed25519 RFC 8032,
 * AES-GCM SP 800-38D, SHA-256, HMAC RFC 2104, HKDF RFC 5869) over a swappable backend
 * (noble by default; the server installs node:crypto), seeded randomness,
 * the TLS 1.2 PRF (RFC 5246 §5), the TLS 1.3 key schedule (RFC 8446 §7) and
 * encrypt-to-a-public-key (ECIES-style, see seal.ts).
 */
export * from './primitives.ts';
export type { CryptoBackend } from './backend.ts';
export { nobleBackend } from './noble-backend.ts';
export * from './rng.ts';
export * from './tls12-prf.ts';
export * from './tls13-key-schedule.ts';
export * from './seal.ts';
export * from './rsa.ts';
export { RSA_KEY_POOL } from './rsa-key-pool.ts';
