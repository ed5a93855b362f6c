/**
 * The debrief's side by side for a bit flip (the event "encryption without integrity", or the
 * same flip tried at level 2 without it): her flip applied, for real, to the very record she
 * changed, sealed once as AES-256-CTR without a tag and once as AES-256-GCM, under the round's
 * key and that record's nonce (handshake/record.ts: the two ciphertexts are the same bytes, GCM
 * adds the tag). CTR decrypts it to what she made it say; GCM refuses it, because its tag is
 * computed over the ciphertext. Encryption hides; it does not protect from change. The tag does.
 */
import { concat, fromUtf8, toHex } from '../codec/bytes.ts';
import { applyFlip, planFlip } from '../attacker/flip.ts';
import { encodeInner, decodeMessage } from '../messages/codec.ts';
import { alertFor, explainFailure } from '../handshake/failures.ts';
import { CONTENT_TYPE, gameRecordParts, openRecord, sealRecord } from '../handshake/record.ts';
import { PRE_SHARED_KEY_NAME, SESSION_KEY_NAME, sessionKeyDirections } from '../handshake/level2-symmetric.ts';
import { gameRecordStyle } from '../round/records.ts';
import type { Round } from '../round/state.ts';
import type { IntegrityCompare } from '../round/result.ts';

const CIPHERS = { gameCtr: 'AES-256-CTR, no tag', game: 'AES-256-GCM: the same CTR plus a 16-byte tag' } as const;

export const INTEGRITY_MORAL = 'Encryption hides; it does not protect from change. The tag does.';

export function integrityCompare(round: Round): IntegrityCompare | undefined {
  const style = gameRecordStyle(round);
  const edit = round.attacker.edits.find((e) => e.flip);
  if (!style || !edit?.flip) return undefined;
  const packet = round.packets[edit.packetId - 1];
  const side = packet?.apparentFrom === 'server' ? 'server' : 'client';
  // The sender knows what its record said; the key is the one both ends hold.
  const sent = round[side].opened.get(edit.packetId)?.message;
  const key = round[side].learned[PRE_SHARED_KEY_NAME] ?? round[side].learned[SESSION_KEY_NAME];
  let original;
  try {
    original = decodeMessage(edit.original);
  } catch {
    return undefined;
  }
  const parts = original.type === 'EncryptedRecord' ? gameRecordParts(style, original.fragment) : undefined;
  if (!sent || !key || !parts) return undefined;
  const seq = Number(new DataView(parts.nonce.buffer, parts.nonce.byteOffset, 8).getBigUint64(0));
  const plaintext = encodeInner(sent);
  const { known, wanted } = edit.flip;
  const rows = (['gameCtr', 'game'] as const).map((s) => {
    const keys = { ...sessionKeyDirections(key, side, s).sendKeys!, seq };
    const sealed = sealRecord(keys, plaintext, CONTENT_TYPE.applicationData).record;
    const sealedParts = gameRecordParts(s, sealed.fragment)!;
    const plan = planFlip(sealedParts.ciphertext, known, wanted);
    if ('problem' in plan) return undefined;
    const fragment = concat(sealedParts.nonce, applyFlip(sealedParts.ciphertext, plan), sealedParts.tag ?? new Uint8Array(0));
    const opened = openRecord(keys, { ...sealed, fragment });
    const result = opened.ok
      ? `decrypts to “…${fromUtf8(opened.plaintext.subarray(opened.plaintext.length - plan.guess.length))}”: nothing checks the bytes, so the ${side === 'client' ? 'bank' : 'client'} takes them for what was sent`
      : `the tag no longer matches the changed ciphertext: the record is refused (${alertFor(opened.failure)}: ${explainFailure(opened.failure)})`;
    return { cipher: CIPHERS[s], thisRound: s === style, accepted: opened.ok, result };
  });
  if (rows.some((r) => !r)) return undefined;
  return { flip: { known, wanted, mask: toHex(edit.flip.mask) }, rows: rows.map((r) => r!), moral: INTEGRITY_MORAL };
}
