/** "Try a key on captured ciphertext", answered by the recording's level. */
import { levelModule } from '../levels/index.ts';
import { noTrial, type KeyTrial, type Recording } from './recording.ts';

export function tryKeyOnRecording(r: Recording, key: Uint8Array): KeyTrial {
  if (key.length !== 32) return noTrial('keys in this game are 32 bytes');
  return levelModule(r.level).tryKey(r, key);
}
