/**
 * The end of a round: the scoreboard (outcome, summary, points per role) and the debrief
 * (what happened, which check caught or missed what, who knew which key).
 */
import type { DebriefCheck, HarvestReveal, IntegrityCompare, KeyLeak, Role, RoundResult, TimelineEvent } from '../../shared.ts';
import { CA_DECISION_POINTS, CT_MONITOR_POINTS, levelLabel, OUTCOME_POINTS, OUTCOME_TITLES, OUTCOMES, ROLES } from '../../shared.ts';
import { ROLE_INFO } from '../../content/levels.ts';
import { formatClock, h, mark, padlockIcon } from '../dom.ts';
import { OUTCOME_PLAIN, OUTCOME_WORDS } from '../words.ts';
import { checkName } from './checks.ts';
import { actorName } from './Timeline.ts';

export function scoreboard(result: RoundResult, mine?: Role): HTMLElement {
  const o = OUTCOME_WORDS[result.outcome];
  const hidden = result.hiddenAttacker;
  return h(
    'section',
    { class: `panel scoreboard outcome-${o.tone}`, 'aria-labelledby': 'scoreboard-title' },
    h('h2', { id: 'scoreboard-title' }, 'Scoreboard'),
    // A hidden-attacker match: the truth for this room, first.
    hidden ? h('p', { class: `hidden-reveal ${hidden.present ? 'reveal-present' : 'reveal-absent'}`, id: 'hidden-reveal', 'data-present': String(hidden.present) }, h('strong', {}, hidden.present ? 'The truth: an attacker was here. ' : 'The truth: no attacker. '), hidden.headline) : null,
    h('p', { class: 'outcome', 'data-outcome': result.outcome }, h('span', { 'aria-hidden': 'true' }, o.icon), ' ', h('strong', {}, o.title)),
    // A plain line first; then the referee's reasons, which name the TLS messages and checks.
    h('p', { class: 'outcome-plain' }, OUTCOME_PLAIN[result.outcome]),
    h('p', { class: 'summary' }, h('span', { class: 'muted' }, 'Why, in TLS terms: '), result.summary),
    h(
      'table',
      { class: 'points' },
      h('caption', {}, 'Points this round'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Role'), h('th', { scope: 'col' }, 'Points'))),
      h(
        'tbody',
        {},
        ROLES.map((role) =>
          h(
            'tr',
            { class: role === mine ? 'mine' : '' },
            h('th', { scope: 'row' }, `${ROLE_INFO[role].name}${role === mine ? ' (you)' : ''}`),
            h('td', { 'data-role': role }, signed(result.points[role] ?? 0)),
          ),
        ),
      ),
    ),
    pointsTable(),
  );
}

/**
 * The debrief: what happened, and the checks that found something, in sight; the replay and
 * the full tables folded (open on a wide screen, shut on a phone, where they ran to thousands
 * of pixels).
 */
export function debrief(result: RoundResult, timeline: TimelineEvent[] = []): HTMLElement {
  const d = result.debrief;
  const wide = window.matchMedia('(min-width: 1001px)').matches;
  const flagged = d.checks.filter((c) => c.ran && c.flagged);
  return h(
    'section',
    { class: 'panel debrief', 'aria-labelledby': 'debrief-title' },
    h('h2', { id: 'debrief-title' }, 'Debrief'),
    // The scoreboard beside it shows the summary; the debrief says what it does not.
    h('h3', {}, 'What happened'),
    d.notes.length ? h('ul', {}, d.notes.map((n) => h('li', {}, n))) : null,
    flagged.length
      ? h('ul', { class: 'checks-found', 'aria-label': 'Checks that found a problem' }, flagged.map((c) => h('li', {}, checkResult(c), ` — ${ROLE_INFO[c.by]?.name ?? c.by}: ${checkName(c.check)}`)))
      : null,
    d.harvest ? harvest(d.harvest) : null,
    d.serverKeyLeak ? serverKeyLeak(d.serverKeyLeak, wide) : null,
    d.integrity ? integrity(d.integrity) : null,
    timeline.length ? fold(`Replay the round, step by step (${timeline.length} steps)`, wide, replay(timeline), 'replay-fold') : null,
    fold(
      `Which check caught or missed what (${d.checks.length})`,
      wide,
      d.checks.length
        ? h(
            'table',
            { class: 'debrief-checks' },
            h('thead', {}, h('tr', {}, ['Who', 'Check', 'Result', 'Why'].map((t) => h('th', { scope: 'col' }, t)))),
            h(
              'tbody',
              {},
              d.checks.map((c) =>
                h(
                  'tr',
                  {},
                  h('td', {}, ROLE_INFO[c.by]?.name ?? c.by),
                  h('td', {}, checkName(c.check)),
                  h('td', {}, checkResult(c)),
                  h('td', {}, c.detail),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'No check ran this round.'),
    ),
    fold(
      'Who knew which key',
      wide,
      d.keys.length
        ? h(
            'table',
            { class: 'debrief-keys' },
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Known by'))),
            h(
              'tbody',
              {},
              d.keys.map((k) =>
                h(
                  'tr',
                  { class: k.knownBy.includes('attacker') ? 'leaked' : '' },
                  h('td', {}, k.key),
                  h('td', {}, k.knownBy.length ? k.knownBy.map((r) => `${ROLE_INFO[r].name}`).join(', ') : 'nobody', k.knownBy.includes('attacker') ? [' ', mark('warn', 'the attacker had it')] : null),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'No keys in this round.'),
    ),
  );
}

/** A part of the debrief under its heading, folded unless the screen is wide. */
function fold(title: string, open: boolean, body: HTMLElement, cls = ''): HTMLElement {
  return h('details', { class: `debrief-fold ${cls}`.trim(), open: open || undefined }, h('summary', {}, h('h3', {}, title)), body);
}

/** Two facts per check: did it flag a problem, and did its party stop because of it. */
function checkResult(c: DebriefCheck): HTMLElement {
  if (!c.ran) return c.skipped ? mark('warn', 'Never run: decided without it') : mark('info', 'Could not run');
  if (!c.flagged) return mark(true, 'Nothing wrong found');
  return c.actedOn ? mark(true, 'Caught it: the party stopped') : mark(false, 'Flagged, but ignored: the party went on');
}

/**
 * GAME.md's "server key leaked" event, after a round at a level whose bank key can leak: the
 * same leak, two endings. The engine's table beside this round's ending shows the others.
 */
function serverKeyLeak(leak: KeyLeak, wide: boolean): HTMLElement {
  const thisRound = leak.compare.find((r) => r.thisRound);
  return reveal(
    'key-leak',
    'leak-title',
    leak.opened,
    'Later, the bank’s private key leaks…',
    [h('p', {}, 'Mallory kept a recording of every packet of this round. Now she gets the bank’s long-term private key. What does her recording give up?')],
    leak,
    h(
      'details',
      { class: 'leak-fold', open: wide || undefined },
      h('summary', {}, 'The same leak at each level'),
      sideBySide(
        'leak-compare',
        ['Level', 'How the session keys were made', 'A recording, after the leak'],
        leak.compare.map((r) => ({ name: r.quantum ?? r.name ?? `Level ${levelLabel(r.level)}`, thisRound: r.thisRound, cells: [r.how, r.opens ? mark(false, 'opens: whatever was sent is readable') : mark(true, 'stays sealed')] })),
      ),
    ),
    leak.afterword && thisRound ? h('p', { class: 'muted' }, leak.afterword) : null,
  );
}

/**
 * Harvest now, decrypt later: years later, a quantum computer breaks X25519 — said as the story
 * it is — and what Mallory's recording of this round gives up, beside the other key share.
 */
function harvest(r: HarvestReveal): HTMLElement {
  return reveal(
    'harvest',
    'harvest-title',
    r.opened,
    r.title,
    [h('p', { class: 'muted' }, r.fiction), h('p', {}, 'The X25519 shared secret it hands Mallory: ', h('code', { class: 'hex harvest-secret' }, r.x25519Secret))],
    r,
    r.request ? h('pre', { class: 'harvest-request', 'aria-label': 'Alice’s request, as Mallory reads it years later' }, r.request) : null,
    sideBySide(
      'leak-compare harvest-compare',
      ['Key share', 'Who sends it', 'Her recording, years later', 'Why'],
      r.rows.map((row) => ({ name: row.keyShare, thisRound: row.thisRound, cells: [row.browser, row.opens ? mark(false, 'opens') : mark(true, 'stays sealed'), row.why] })),
    ),
  );
}

/** What a key handed over after the round (a leaked one, a quantum computer's) does to her recording: the section, its verdict first. */
function reveal(cls: string, id: string, opened: boolean, title: string, intro: HTMLElement[], verdict: { headline: string; text: string }, ...rest: (HTMLElement | null)[]): HTMLElement {
  return h(
    'section',
    { class: `${cls} ${opened ? 'leak-opened' : 'leak-sealed'}`, 'aria-labelledby': id, 'data-opened': String(opened) },
    h('h3', { id }, title),
    ...intro,
    h('p', { class: 'leak-verdict' }, padlockIcon(opened), ' ', h('strong', {}, verdict.headline)),
    h('p', { class: 'leak-text' }, verdict.text),
    ...rest,
  );
}

/** Rows side by side, this round's marked: the first cell names the row. */
function sideBySide(cls: string, head: string[], rows: { name: string; thisRound: boolean; cells: (HTMLElement | string)[] }[]): HTMLElement {
  return h(
    'table',
    { class: cls },
    h('thead', {}, h('tr', {}, head.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map((r) => h('tr', { class: r.thisRound ? 'mine' : '' }, h('th', { scope: 'row' }, `${r.name}${r.thisRound ? ' (this round)' : ''}`), r.cells.map((c) => h('td', {}, c))))),
  );
}

/** Mallory's bit flip, applied by the engine to the same record sealed without a tag and with one: what each gives the receiver. */
function integrity(c: IntegrityCompare): HTMLElement {
  const mask = c.flip.mask.match(/../g)?.join(' ') ?? '';
  return h(
    'section',
    { class: 'integrity', 'aria-labelledby': 'integrity-title' },
    h('h3', { id: 'integrity-title' }, 'The same flip, without a tag and with one'),
    h('p', {}, `Mallory flipped bits without the key: her guess “${c.flip.known}” XOR “${c.flip.wanted}” gave the mask ${mask}. The same flip on the same record, sealed both ways:`),
    sideBySide(
      'integrity-compare',
      ['Cipher', 'The receiver', 'Why'],
      c.rows.map((r) => ({ name: r.cipher, thisRound: r.thisRound, cells: [r.accepted ? mark(false, 'takes the flipped record') : mark(true, 'refuses it'), r.result] })),
    ),
    h('p', { class: 'integrity-moral' }, h('strong', {}, c.moral)),
  );
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** The one points table from shared/, as the players see it. */
export function pointsTable(): HTMLElement {
  return h(
    'details',
    { class: 'points-table' },
    h('summary', {}, 'How points are scored'),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Outcome'), ROLES.map((r) => h('th', { scope: 'col' }, ROLE_INFO[r].name)))),
      h(
        'tbody',
        {},
        OUTCOMES.map((o) => h('tr', {}, h('th', { scope: 'row' }, OUTCOME_TITLES[o]), ROLES.map((r) => h('td', {}, signed(OUTCOME_POINTS[o][r]))))),
      ),
    ),
    h(
      'p',
      {},
      `The CA also scores each decision: ${signed(CA_DECISION_POINTS.signedGenuine)} for signing a genuine request, ${signed(CA_DECISION_POINTS.refusedFraud)} for refusing a fraudulent one, ${signed(CA_DECISION_POINTS.refusedGenuine)} for refusing a genuine one and ${signed(CA_DECISION_POINTS.misIssued)} for a mis-issued certificate. With Certificate Transparency, the bank scores ${signed(CT_MONITOR_POINTS.spotted)} when its log monitor spots a certificate for its name it never asked for.`,
    ),
  );
}

/** Step through the round's timeline one event at a time, e.g. on the projector. */
function replay(timeline: TimelineEvent[]): HTMLElement {
  let index = 0;
  const line = h('p', { class: 'replay-line', 'aria-live': 'polite' });
  const position = h('span', { class: 'muted' });
  const prev = h('button', { type: 'button', class: 'small', onclick: () => show(index - 1) }, '← Previous');
  const next = h('button', { type: 'button', class: 'small', onclick: () => show(index + 1) }, 'Next →');
  const show = (i: number) => {
    index = Math.max(0, Math.min(timeline.length - 1, i));
    const e = timeline[index];
    if (!e) return; // nothing happened in the round: there is no step to show
    line.textContent = `${formatClock(e.at)} — ${actorName(e)}: ${e.text}`;
    position.textContent = ` step ${index + 1} of ${timeline.length}`;
    prev.disabled = index === 0;
    next.disabled = index === timeline.length - 1;
  };
  show(0);
  return h('div', { class: 'replay', role: 'group', 'aria-label': 'Replay the timeline' }, line, h('div', { class: 'actions' }, prev, next, position));
}
