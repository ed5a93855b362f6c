/** "Try a key on captured ciphertext", answered by the recording's level. */
import { levelModule } from './index.ts';
import { noTrial, type KeyTrial, type Recording } from '../attacker/recording.ts';

export function tryKeyOnRecording(r: Recording, key: Uint8Array): KeyTrial {
  if (key.length === 0) return noTrial('no key given');
  return levelModule(r.level).tryKey(r, key);
}
