/**
 * Encryption without integrity (issue 16, item 6), the event a host switches on at level 2: a key
 * card (no key on the wire) and AES-CTR records without a tag. Played as the users play it:
 * - the bytes, checked against @noble/ciphers directly, not through the game's wrappers: the
 *   flipped record decrypts with noble's `ctr` to `amount=0960`; noble's `gcm` seals the same
 *   plaintext to the same ciphertext plus a tag, and refuses the same flip;
 * - Mallory by hand, flipping `amount=0060` into `amount=0960`: the bank pays 960 (Tampered), and
 *   the same flip at level 2 without the event fails the tag (Attack detected); the debrief's side
 *   by side in both;
 * - what each seat sees: no key for Mallory, her known ending, the record's parts in the inspector;
 * - the tool's refusals, in words.
 */
import { describe, expect, it } from 'vitest';
import { ctr, gcm } from '@noble/ciphers/aes.js';
import {
  applyAction,
  concat,
  EVENT_TEXTS,
  fromUtf8,
  OUTCOME_POINTS,
  parseAction,
  recordingOf,
  simulateRound,
  startPlay,
  tryKeyOnRecording,
  toHex,
  utf8,
  viewFor,
  type AttackerView,
  type ClientView,
  type FieldNode,
  type Round,
} from '@heist/shared';
import { attack, editOnce, honest, play, startRound } from './play.ts';

const EVENT = { event: 'encryptionWithoutIntegrity' } as const;
const HEADER = 5; // the record header: type, version, length
const NONCE = 8; // the game's sequence number, in the clear
const C2S_SALT = new Uint8Array([0, 0, 0, 1]);

const xor = (a: Uint8Array, b: Uint8Array) => a.map((x, i) => x ^ b[i]!);
/** The client's first record: the one carrying the transfer (nothing is sent before it with the key card). */
const transferOf = (v: AttackerView) => v.captured.find((p) => v.held.includes(p.id) && p.label === 'EncryptedRecord' && p.from === 'client')?.id;
const find = (nodes: FieldNode[], name: string): FieldNode | undefined => {
  for (const n of nodes) {
    const hit = n.name === name ? n : find(n.children ?? [], name);
    if (hit) return hit;
  }
  return undefined;
};

/** Mallory, by hand: holds Alice's record and flips `known` into `wanted` (her view's known ending unless given). */
function flipByHand(round: Round, flip?: { known: string; wanted: string }): void {
  attack(round, editOnce(transferOf, (id, v) => ({ type: 'flipBits', packetId: id, ...(flip ?? v.knownEnding!) })));
}

describe('encryption without integrity: the bytes, against @noble/ciphers', () => {
  const { round, refused } = simulateRound(2, { ...honest, attacker: 'tamper' }, 'ctr/noble', EVENT);
  const key = round.client.config.preSharedKey!.key;
  const edit = round.attacker.edits[0]!;
  const sent = edit.original;
  const arrived = round.packets[edit.packetId - 1]!.bytes;
  const nonce = sent.subarray(HEADER, HEADER + NONCE);
  const counter = concat(C2S_SALT, nonce, new Uint8Array([0, 0, 0, 2]));
  const aad = concat(nonce, new Uint8Array([23, 3, 3]), new Uint8Array([0, sent.length - HEADER - NONCE]));

  it('nothing crosses the Wi-Fi before the records: the first packet is Alice’s encrypted transfer, and no packet carries the key', () => {
    expect(refused).toEqual([]);
    expect(round.packets[0]!.from).toBe('client');
    expect(edit.packetId).toBe(1);
    expect(round.packets.filter((p) => toHex(p.bytes).includes(toHex(key)))).toEqual([]);
  });

  it('noble’s ctr decrypts the record Alice sent to her order ending amount=0060, and the flipped one to amount=0960', () => {
    const before = fromUtf8(ctr(key, counter).decrypt(sent.subarray(HEADER + NONCE)));
    const after = fromUtf8(ctr(key, counter).decrypt(arrived.subarray(HEADER + NONCE)));
    expect(before).toBe(`POST /transfer HTTP/1.1\r\nHost: bank.example\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 27\r\n\r\npin=${round.client.secret}&to=${round.client.order.to}&amount=0060`);
    expect(after).toBe(before.replace('amount=0060', 'amount=0960'));
  });

  it('the flip is her guess XOR what she wanted, on the last 11 bytes, and nothing else changed', () => {
    const mask = xor(utf8('amount=0060'), utf8('amount=0960'));
    expect([...mask]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0x09, 0, 0]);
    expect(xor(sent, arrived)).toEqual(concat(new Uint8Array(sent.length - 11), mask));
  });

  it('noble’s gcm seals the same plaintext to the very same ciphertext, plus a tag — and refuses the same flip', () => {
    const plaintext = ctr(key, counter).decrypt(sent.subarray(HEADER + NONCE));
    const sealed = gcm(key, concat(C2S_SALT, nonce), aad).encrypt(plaintext);
    expect(sealed.subarray(0, -16)).toEqual(sent.subarray(HEADER + NONCE));
    const delta = xor(arrived, sent).subarray(HEADER + NONCE);
    const flipped = concat(xor(sealed.subarray(0, -16), delta), sealed.subarray(-16));
    expect(flipped.subarray(0, -16)).toEqual(arrived.subarray(HEADER + NONCE));
    expect(() => gcm(key, concat(C2S_SALT, nonce), aad).decrypt(flipped)).toThrow('invalid tag');
    expect(gcm(key, concat(C2S_SALT, nonce), aad).decrypt(sealed)).toEqual(plaintext);
  });
});

describe('encryption without integrity, played by hand', () => {
  it('Mallory flips amount=0060 into amount=0960 without the key: the bank pays 960 — Tampered, not detected', () => {
    const round = startRound(2, 'ctr/by-hand', { ...EVENT, humanSeats: ['attacker'] });
    const first = viewFor(round, 'attacker') as AttackerView;
    expect(first.knownEnding).toEqual({ known: 'amount=0060', wanted: 'amount=0960' });
    expect(first.tools).toContain('flipBits');
    flipByHand(round);
    const to = round.client.order.to;
    expect(round.client.order.amount).toBe(60);
    expect(round.server.received).toEqual([{ pin: round.client.secret, to, amount: 960 }]);
    expect(round.server.failure).toBeUndefined();
    expect(round.result?.outcome).toBe('tampered');
    expect(round.result?.summary).toBe(
      `Tampered: Mallory flipped bits in Alice's encrypted order without the key, and the bank decrypted it to "pay 960 to ${to}" and paid: AES-CTR has no tag, so nothing told the bank the bytes had changed. The encryption hid the PIN; it did not protect the order.`,
    );
    expect(round.result?.points).toEqual(OUTCOME_POINTS.tampered);
    // What she read on her panel as she flipped: the mask, and no key.
    const lines = (viewFor(round, 'attacker') as AttackerView).timeline.map((e) => e.text);
    expect(lines).toContain('Your guess "amount=0060" XOR "amount=0960" = mask 00 00 00 00 00 00 00 00 09 00 00, XORed onto the last 11 bytes of the ciphertext. You never used a key.');
    // What Alice sees: she asked for 60, the bank says it paid 960.
    const alice = viewFor(round, 'client') as ClientView;
    expect(alice.transfer).toEqual({ to, amount: 60 });
    expect(alice.timeline.map((e) => e.text)).toContain(`The bank answered: 200 Transfer of 960 to ${to} done`);
    // The debrief: the event's note instead of level 2's (no key crossed the Wi-Fi), and the side by side.
    expect(round.result?.debrief.notes).toEqual([EVENT_TEXTS.encryptionWithoutIntegrity.debriefNote, 'The attacker flipped bits at the end of packet #1.']);
    expect(round.result?.debrief.integrity).toEqual({
      flip: { known: 'amount=0060', wanted: 'amount=0960', mask: '0000000000000000090000' },
      rows: [
        { cipher: 'AES-256-CTR, no tag', thisRound: true, accepted: true, result: 'decrypts to “…amount=0960”: nothing checks the bytes, so the bank takes them for what was sent' },
        {
          cipher: 'AES-256-GCM: the same CTR plus a 16-byte tag',
          thisRound: false,
          accepted: false,
          result: 'the tag no longer matches the changed ciphertext: the record is refused (bad_record_mac: AEAD tag invalid: this record was changed, replayed or out of order (or sealed with another key))',
        },
      ],
      moral: 'Encryption hides; it does not protect from change. The tag does.',
    });
    expect(round.result?.debrief.checks.filter((c) => c.by === 'server').map((c) => c.check)).toEqual(['sequence']);
    expect(round.result?.debrief.checks.find((c) => c.by === 'server' && c.check === 'sequence')).toMatchObject({
      flagged: false,
      detail: "sequence number 0 as expected (the game's own check); decrypted with AES-CTR — no tag, so nothing checked that these are the bytes that were sent",
    });
  });

  it('the same flip at level 2 without the event: the AES-GCM tag fails and the bank refuses — Attack detected', () => {
    const round = startRound(2, 'gcm/by-hand', { humanSeats: ['attacker'] });
    expect((viewFor(round, 'attacker') as AttackerView).knownEnding).toBeUndefined();
    flipByHand(round, { known: 'amount=0060', wanted: 'amount=0960' });
    expect(round.server.received).toEqual([]);
    expect(round.server.failure?.reason).toBe('badRecordMac');
    expect(round.result?.outcome).toBe('attackDetected');
    expect(round.result?.summary).toBe('Attack detected: AEAD tag invalid: this record was changed, replayed or out of order (or sealed with another key).');
    const integrity = round.result?.debrief.integrity;
    expect(integrity?.rows.map((r) => [r.cipher, r.thisRound, r.accepted])).toEqual([
      ['AES-256-CTR, no tag', false, true],
      ['AES-256-GCM: the same CTR plus a 16-byte tag', true, false],
    ]);
    // Without a tag, the same flip would have reached the bank as her plaintext XOR the mask.
    const sent = (viewFor(round, 'client') as ClientView).timeline.find((e) => e.text.startsWith('Sent the PIN and the transfer: '))!.text;
    const ending = utf8(sent.slice(-11));
    expect(integrity?.rows[0]!.result).toBe(`decrypts to “…${fromUtf8(xor(ending, xor(utf8('amount=0060'), utf8('amount=0960'))))}”: nothing checks the bytes, so the bank takes them for what was sent`);
  });

  it('the tool refuses in words: a wanted text of another length, a packet that is no record, a level without it', () => {
    // Without the event the first packet is level 2's KeyTransport, in the clear: no record to flip.
    const round = startRound(2, 'ctr/refusals', { humanSeats: ['attacker'] });
    const answers: (string | undefined)[] = [];
    attack(round, editOnce((v) => v.held[0], (id) => {
      answers.push(applyAction(round, 'attacker', { type: 'flipBits', packetId: id, known: 'amount=0060', wanted: 'amount=0960' }, round.now)?.message);
      return { type: 'forward', packetId: id };
    }));
    expect(round.packets[0]!.bytes[0]).not.toBe(23);
    expect(answers).toEqual(['packet #1 is not an encrypted record: flip bits in a record whose plaintext you can guess']);

    const withCard = startRound(2, 'ctr/refusals/card', { ...EVENT, humanSeats: ['attacker'] });
    const said: (string | undefined)[] = [];
    attack(withCard, editOnce(transferOf, (id) => {
      said.push(applyAction(withCard, 'attacker', { type: 'flipBits', packetId: id, known: 'amount=0060', wanted: 'amount=960' }, withCard.now)?.message);
      said.push(applyAction(withCard, 'attacker', { type: 'flipBits', packetId: id, known: 'amount=0060', wanted: 'amount=0060' }, withCard.now)?.message);
      return { type: 'forward', packetId: id };
    }));
    expect(said).toEqual([
      'what you want must be exactly as long as your guess (11 bytes, not 10): flipping bits changes bytes, it cannot add or remove any',
      'what you want is what you guessed: no bit to flip',
    ]);
    expect(withCard.result?.outcome).toBe('unprotected');

    const level4 = startRound(4, 'ctr/refusals/4', { humanSeats: ['attacker'] });
    startPlay(level4, level4.now);
    expect((viewFor(level4, 'attacker') as AttackerView).tools).not.toContain('flipBits');
    expect(applyAction(level4, 'attacker', { type: 'flipBits', packetId: 1, known: 'a', wanted: 'b' }, level4.now)).toEqual({ code: 'notAllowed', message: 'flipBits is not a tool at this level' });
  });
});

describe('flipBits from the network', () => {
  it('is checked before the round sees it: an empty guess, too long, not text, an extra field — each refused in words', () => {
    const refused = (raw: object) => (parseAction('attacker', { type: 'flipBits', packetId: 1, ...raw }) as { message?: string }).message;
    expect(refused({ known: '', wanted: '' })).toBe('not a valid attacker action (known): your guess is empty');
    expect(refused({ known: 'x'.repeat(65), wanted: 'y' })).toBe('not a valid attacker action (known): Invalid length: Expected <=64 but received 65');
    expect(refused({ known: 'a', wanted: 7 })).toBe('not a valid attacker action (wanted): Invalid type: Expected string but received 7');
    expect(refused({ known: 'a', wanted: 'b', extra: 1 })).toBe('not a valid attacker action (extra): Invalid key: Expected never but received "extra"');
    expect(parseAction('attacker', { type: 'flipBits', packetId: 1, known: 'amount=0060', wanted: 'amount=0960' })).toEqual({ type: 'flipBits', packetId: 1, known: 'amount=0060', wanted: 'amount=0960' });
  });
});

describe('encryption without integrity: what each seat sees', () => {
  it('Mallory holds no key and cannot read the PIN; only Alice and the bank know the key card', () => {
    const { round } = simulateRound(2, { ...honest, attacker: 'passive' }, 'ctr/passive', EVENT);
    const mallory = viewFor(round, 'attacker') as AttackerView;
    expect(Object.keys(mallory.keys)).toEqual(['your X25519 private key', 'your ECDSA P-256 signing key']);
    expect(mallory.captured.every((p) => p.plaintext === undefined)).toBe(true);
    expect(mallory.submissions).toEqual([]);
    expect(round.result?.outcome).toBe('unprotected');
    expect(round.result?.summary).toBe(
      'Unharmed, not secure: the transfer went through unharmed, but nothing protected the order from change: the records were encrypted (AES-CTR, under a key agreed in advance) but carried no tag, so flipped bits would have gone unnoticed.',
    );
    expect(round.result?.debrief.keys).toEqual([{ key: 'AES-256 key (agreed in advance)', knownBy: ['client', 'server'] }]);
    expect(round.result?.debrief.integrity).toBeUndefined();
    // Nothing of the key or the PIN reaches her seat; and were the key card ever hers, it would open the recording.
    const seen = JSON.stringify(mallory);
    expect(seen.includes(toHex(round.client.config.preSharedKey!.key))).toBe(false);
    expect(seen.includes(`pin=${round.client.secret}`)).toBe(false);
    expect(tryKeyOnRecording(recordingOf(round), utf8('not the key, but 32 bytes long!!')).opened.size).toBe(0);
    const opened = tryKeyOnRecording(recordingOf(round), round.client.config.preSharedKey!.key);
    expect([...opened.opened.values()].map((o) => o.message.type)).toEqual(['HttpRequest', 'HttpResponse']);
  });

  it('the inspector splits a record into sequence number and ciphertext (AES-CTR), or sequence number, ciphertext and tag (AES-GCM)', () => {
    for (const [overrides, parts, words] of [
      [EVENT, ['sequenceNumber', 'ciphertext'], EVENT_TEXTS.encryptionWithoutIntegrity.recordFragment],
      [{}, ['sequenceNumber', 'ciphertext', 'tag'], "The game's own record: the first 8 bytes are the sequence number, sent in the clear, and the receiver checks it (a replay shows as out of sequence) — real TLS has no such check. Then the ciphertext and a 16-byte AES-GCM tag."],
    ] as const) {
      const { round } = simulateRound(2, { ...honest, attacker: 'passive' }, 'ctr/inspector', overrides);
      const alice = viewFor(round, 'client') as ClientView;
      const record = alice.packets.find((p) => p.label === 'EncryptedRecord' && p.from === 'client')!;
      const fragment = find(record.fields, 'fragment')!;
      expect(fragment.explain).toBe(words);
      expect(fragment.children?.map((c) => c.name)).toEqual(parts);
      expect(find(record.fields, 'sequenceNumber')).toMatchObject({ offset: HEADER, length: NONCE, value: '0' });
      // The ciphertext is exactly as long as what Alice sent; the tag, where there is one, 16 bytes after it.
      expect(find(record.fields, 'ciphertext')).toMatchObject({ offset: HEADER + NONCE, length: record.plaintext!.hex.length / 2 });
      if (parts.length === 3) expect(find(record.fields, 'tag')).toMatchObject({ offset: record.size - 16, length: 16 });
      else expect(HEADER + NONCE + record.plaintext!.hex.length / 2).toBe(record.size);
    }
  });
});

describe('encryption without integrity: the event’s words', () => {
  it('the briefing, each seat’s first step and its summary fit in 80 words', () => {
    const b = EVENT_TEXTS.encryptionWithoutIntegrity.briefing;
    const words = [b.summary, ...Object.values(b.firstSteps)].join(' ').split(/\s+/).filter(Boolean);
    expect(words.length).toBeLessThanOrEqual(80);
    expect(b.firstSteps.attacker).toBe('Hold Alice’s record and flip bits in it: make 0060 say 0960.');
  });

  it('Alice by hand: she connects and sends at once (nothing to agree first), and the bank pays her 60', () => {
    const round = startRound(2, 'ctr/honest', EVENT);
    play(round, 'client', (v: ClientView) => (v.allowed.includes('connect') ? { type: 'connect' } : v.allowed.includes('sendSecret') ? { type: 'sendSecret' } : null));
    expect(round.client.response).toBe(`200 Transfer of 60 to ${round.client.order.to} done`);
    expect((viewFor(round, 'client') as ClientView).connection).toEqual({ kind: 'noIntegrity' });
    expect(round.result?.outcome).toBe('unprotected');
  });
});
