import { useCryptoBackend } from '../../shared/src/crypto/primitives.ts';
import { cryptoBackendNamed } from '../../server/src/crypto/select.ts';
import { main } from '../../tools/tls/cli.ts';
useCryptoBackend(cryptoBackendNamed(process.env.CRYPTO_BACKEND));
const level = process.argv[2]!;
const s = await main(['serve', '--level', level, '--port', '0', '--host', '127.0.0.1', '--dir', '/tmp/prof/d' + level], { out: (l) => console.log(l), err: (l) => console.error(l) });
setTimeout(() => process.exit(0), Number(process.argv[3] ?? 15000));
void s;
