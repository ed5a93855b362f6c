/**
 * What the hidden-attacker mode (basics/hidden-attacker.ts) says to players: its briefing line
 * (at most 80 words with each role's first move, the depth under "More"), the sitting-out seat's
 * words, and the debrief's reveal. No cryptography imported: the browser loads it with the level
 * texts. The points are the referee's (referee/points.ts); the screens write them from there.
 */
import type { Call } from '../../basics/hidden-attacker.ts';
import type { Role } from '../../basics/roles.ts';

export interface HiddenAttackerTexts {
  title: string;
  /** One line on what it teaches (the teacher's class setup). */
  teaches: string;
  /** At most 80 words in `summary` + `firstSteps` together, as a level's briefing. */
  briefing: { summary: string; firstSteps: Record<Role, string>; more: string[] };
  /** The attacker seat of a room without an attacker this round. */
  sittingOut: { title: string; text: string; calls: Record<Call, string> };
}

export const HIDDEN_ATTACKER_TEXTS: HiddenAttackerTexts = {
  title: 'Hidden attacker',
  teaches: 'nobody tells you whether someone is listening: act on evidence, not on a hunch',
  briefing: {
    summary:
      'Hidden attacker: your room may have an attacker on the café Wi-Fi this round, or none. A coin decides, room by room, and nobody tells the defenders. Completing an honest session scores; stopping a real attack scores more; aborting a clean one costs.',
    firstSteps: {
      client: 'Go back when a check fails, not on a hunch.',
      server: 'Prepare as usual.',
      ca: 'Decide each request on its evidence.',
      attacker: 'Stay unnoticed: a caught attacker scores nothing. No attack this round? Call what the defenders will do.',
    },
    more: [
      'Why: on a real network nobody tells you whether someone is listening. Most connections are honest, and a browser that cried wolf at every one would teach its users to click through. The checks are there so that you need not guess: a failed certificate check, tag or signature is evidence; a feeling is not.',
      'In a room without an attacker the attacking team is off the Wi-Fi for the round. Before play begins it calls what the defenders will do — complete the session, or abort it — then watches the conversation as the projector shows it, to see whether it called right.',
      'The debrief says the truth for your room: there was an attacker (and what she did), or there was none (and an abort was a false alarm).',
    ],
  },
  sittingOut: {
    title: 'No attack from your room this round',
    text: 'The coin gave your room no attacker: you are off the café Wi-Fi, and the defenders do not know it. Call what they will do before play begins. Keep it to yourselves: what they do must be their own decision.',
    calls: { complete: 'They will complete the session', abort: 'They will abort it (a false alarm)' },
  },
};

/** The debrief's reveal, in the words every seat reads. */
export const HIDDEN_ATTACKER_REVEAL = {
  present: (interfered: boolean) => (interfered ? 'There was an attacker in your room.' : 'There was an attacker in your room: she only listened on the café Wi-Fi.'),
  presentCaught: 'Your checks caught her: a noticed attacker scores nothing.',
  presentUnseen: 'Nothing she did showed, so the abort caught nothing: a false alarm all the same.',
  presentFoiled: 'She got nothing: every check passed, and the session really was secure.',
  presentWon: 'Nobody noticed her.',
  absent: 'No attacker in your room this round.',
  absentFalseAlarm: 'The abort was a false alarm: nothing was wrong.',
  absentCompleted: 'The session was honest, and it was completed.',
  absentOther: 'Nobody attacked: what happened was the defenders’ own doing.',
  call: (verdict: Call, right: boolean, points: number) =>
    `The attacking team sat this round out and called “${HIDDEN_ATTACKER_TEXTS.sittingOut.calls[verdict].toLowerCase()}”: ${right ? `right (${points > 0 ? '+' : ''}${points})` : 'wrong'}.`,
  noCall: 'The attacking team sat this round out and made no call.',
} as const;
