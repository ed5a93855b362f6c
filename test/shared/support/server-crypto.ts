/**
 * The rules engine's tests run its crypto on the backend the server runs it on (node:crypto, as
 * `npm start` does; server/src/crypto/select.ts), not on noble's JavaScript: same bytes, proven
 * round for round and primitive for primitive by test/server/crypto-backends.test.ts, for about a
 * third less CPU (docs/benchmarks.md, "The test suite"). Tests of a primitive that pick a backend
 * themselves still do; `useCryptoBackend(undefined)` in their afterEach puts noble back for the
 * rest of that file only, as this runs again before the next file.
 */
import { useCryptoBackend } from '../../../shared/src/crypto/index.ts';
import { nodeCryptoBackend } from '../../../server/src/crypto/node-backend.ts';

useCryptoBackend(nodeCryptoBackend);
