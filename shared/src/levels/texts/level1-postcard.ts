import type { LevelPageTexts, LevelTexts } from './types.ts';

export const LEVEL1_PAGE_TEXTS: LevelPageTexts = {
  label: '1',
  title: 'Postcard',
  concept: 'Plain HTTP',
  briefing: {
    summary: 'Alice’s browser sends her PIN and a transfer to bank.example as plain HTTP. Like a postcard, anyone on the café Wi-Fi can read it and change it on the way.',
    firstSteps: {
      client: 'Connect, then send your PIN and transfer.',
      server: 'Wait for the order; report what arrived.',
      ca: 'Nothing to sign at this level: watch.',
      attacker: 'Turn intercept on, open the held request, read the PIN (submit it to prove it) or change the transfer.',
    },
    more: [
      'There is no key, no signature and nothing to check: the bank cannot tell whether the order it receives is the one Alice wrote.',
      'To prove you read the PIN, submit it. To change the transfer, edit the body of the held request before you forward it.',
    ],
  },
  steps: ['HttpRequest (PIN and transfer, readable)', 'HttpResponse (readable)'],
  noChecksYet: 'None: plain HTTP has nothing to check — no key, no signature, no tag.',
};

/** With the words only the server says (the debrief, the inspector's words for its records): the browser never loads them. */
export const LEVEL1_TEXTS: LevelTexts = {
  ...LEVEL1_PAGE_TEXTS,
  debriefNote: 'Level 1 has no protection at all: whoever is on the Wi-Fi reads and changes every byte.',
  unprotected: 'the PIN crossed the Wi-Fi as plain text: anyone there could have read it or changed the transfer, and nothing would have noticed',
  wire: 'No TLS at this level: every packet is plain HTTP/1.1 text (RFC 9112), as a browser sends it on port 80.',
};
