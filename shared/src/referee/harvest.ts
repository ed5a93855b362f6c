/**
 * Harvest now, decrypt later (basics/events.ts, `harvestNowDecryptLater`): Mallory keeps her
 * recording of the round, and "years later" a quantum computer breaks X25519. The game models
 * that moment as a stated fiction — nothing here breaks X25519: the referee, which holds Alice's
 * one-time X25519 secret, computes the X25519 shared secret a quantum computer would have
 * recovered from the two public shares, hands it to the recording's owner, and plays it through
 * the level's key schedule (`LevelModule.trySharedSecret`). A session keyed by X25519 alone opens;
 * one keyed by X25519MLKEM768 does not — its key schedule took ML-KEM's secret first, which the
 * quantum computer does not give (crypto/x25519-mlkem768.ts).
 */
import { toHex } from '../codec/bytes.ts';
import { x25519SharedSecret } from '../crypto/primitives.ts';
import { hybridParts } from '../crypto/x25519-mlkem768.ts';
import { ephemeralName, groupName } from '../handshake/groups.ts';
import { keyShareGroups, keyShareOf } from '../handshake/hello.ts';
import { findMessage } from '../attacker/recording.ts';
import { encodeHttp } from '../messages/http.ts';
import { GROUP } from '../messages/tls-codes.ts';
import { HARVEST_WORDS } from '../levels/texts/events.ts';
import { recordingOf } from '../round/attacker-actions.ts';
import type { Round } from '../round/state.ts';
import type { HarvestReveal } from '../round/result.ts';

/** The X25519 half of a share in either group, and of Alice's one-time secret for it. */
function x25519Half(group: number, bytes: Uint8Array): Uint8Array | undefined {
  if (group === GROUP.x25519) return bytes;
  if (group === GROUP.x25519MlKem768) return hybridParts(bytes)?.x25519 ?? (bytes.length > 32 ? bytes.slice(-32) : undefined);
  return undefined;
}

const cache = new WeakMap<Round, { packets: number; reveal: HarvestReveal | undefined }>();

/**
 * The years-later reveal on this round's recording; undefined outside the event, when Mallory
 * sat in the middle (the session she recorded was not Alice's with the bank), or when no
 * session with a key share was recorded.
 */
export function harvestReveal(round: Round): HarvestReveal | undefined {
  if (round.config.event !== 'harvestNowDecryptLater' || !round.module.trySharedSecret) return undefined;
  const cached = cache.get(round);
  if (cached && cached.packets === round.packets.length) return cached.reveal;
  const reveal = computeReveal(round);
  cache.set(round, { packets: round.packets.length, reveal });
  return reveal;
}

/** Nobody on the Wi-Fi keeps a recording: no attacker bot and no hidden one this round. */
const nobodyRecords = (round: Round): boolean => round.config.bots.attacker === 'none' || round.config.hiddenAttacker?.present === false;

function computeReveal(round: Round): HarvestReveal | undefined {
  if (round.attacker.proxy?.downstream || nobodyRecords(round)) return undefined;
  const recording = recordingOf(round);
  const serverHello = findMessage(recording, 'ServerHello', 'server');
  if (!serverHello) return undefined;
  const group = keyShareGroups(serverHello)[0];
  if (group === undefined) return undefined;
  const serverHalf = x25519Half(group, keyShareOf(serverHello, group) ?? new Uint8Array(0));
  const aliceSecret = round.client.learned[ephemeralName(group)];
  const aliceHalf = aliceSecret ? x25519Half(group, aliceSecret) : undefined;
  if (!serverHalf || !aliceHalf) return undefined;
  let quantum: Uint8Array;
  try {
    quantum = x25519SharedSecret(aliceHalf, serverHalf);
  } catch {
    return undefined;
  }
  const trial = round.module.trySharedSecret!(recording, quantum);
  const request = [...trial.opened.values()].map((o) => o.message).find((m) => m.type === 'HttpRequest');
  const hybrid = group === GROUP.x25519MlKem768;
  const words = hybrid ? HARVEST_WORDS.sealed : request ? HARVEST_WORDS.opened : HARVEST_WORDS.openedEmpty;
  return {
    title: HARVEST_WORDS.years,
    fiction: HARVEST_WORDS.fiction,
    group: groupName(group),
    hybrid,
    x25519Secret: toHex(quantum),
    opened: trial.opened.size > 0,
    ...(request ? { request: new TextDecoder().decode(encodeHttp(request)) } : {}),
    headline: words.headline,
    text: words.text(trial.opened.size),
    rows: HARVEST_WORDS.rows.map((r) => ({ ...r, thisRound: r.hybrid === hybrid })),
  };
}
