/**
 * The teacher's screen: the dashboard (students and teams, the match's levels and controls, the
 * live rooms, the leaderboard, the CSV export) or, at a click, the projector view.
 */
import type { ClassInfo, ClassTeam } from '../../bus.ts';
import { EVENT_TEXTS, HIDDEN_ATTACKER_TEXTS, levelLabel, MISCONCEPTION_WORDS, TEAM_NAMES } from '../../shared.ts';
import type { GameConnection } from '../../net/GameConnection.ts';
import { h, mark } from '../dom.ts';
import { leaderboard, liveRooms, memberNames, STATUS } from './classBoard.ts';
import { projectorView } from './Projector.ts';
import { betweenRounds, countdown } from './upNext.ts';
import { sequencePicker } from '../panels/TeachingMap.ts';

/** The most teams a class may have (the server's formTeams limit). */
const MAX_TEAMS = TEAM_NAMES.length;

export function teacherScreen(info: ClassInfo, conn: GameConnection, projector: boolean, setProjector: (on: boolean) => void): HTMLElement {
  return projector ? projectorView(info, conn, setProjector) : dashboard(info, conn, setProjector);
}

/** What the teacher typed survives the dashboard being redrawn on every state change. */
let typedTeamCount: string | undefined;
/** The next match is to have a hidden attacker (the teacher's tick, sent with Start match). */
let hiddenChosen = false;

function dashboard(info: ClassInfo, conn: GameConnection, setProjector: (on: boolean) => void): HTMLElement {
  const suggested = Math.max(2, Math.min(12, Math.floor(info.students.length / 2) || 2));
  const teamCount = h('input', {
    id: 'team-count',
    type: 'number',
    min: 2,
    max: 12,
    value: typedTeamCount ?? suggested,
    oninput: (e: Event) => (typedTeamCount = (e.target as HTMLInputElement).value),
  });
  const playing = info.status === 'playing' || info.status === 'paused';
  settleMoves(info);
  return h(
    'main',
    { class: 'teacher', id: 'main' },
    h(
      'header',
      { class: 'teacher-head' },
      h('h1', {}, 'Class ', h('span', { id: 'class-code' }, info.code)),
      h('p', { role: 'status' }, STATUS[info.status] ?? info.status, info.round >= 0 && info.totalRounds ? ` — round ${info.round + 1} of ${info.totalRounds}` : '', info.hiddenAttacker && info.status !== 'lobby' ? ' (hidden attacker)' : ''),
      h('button', { type: 'button', class: 'primary', id: 'open-projector', onclick: () => setProjector(true) }, 'Projector view'),
      h('button', { type: 'button', class: 'link', id: 'sign-out', onclick: () => void conn.signOut() }, 'Sign out'),
      unsavedLine(info.unsaved),
    ),
    h(
      'div',
      { class: 'teacher-grid' },
      h(
        'section',
        { class: 'panel students-card', 'aria-labelledby': 'students-title' },
        h('h2', { id: 'students-title' }, `Students (${info.students.length})`),
        info.students.length
          ? h(
              'div',
              { class: 'table-wrap' },
              h(
              'table',
              { class: 'students' },
              h('thead', {}, h('tr', {}, ['Nickname', 'Team', 'Online', 'Points', 'Their play showed'].map((t) => h('th', { scope: 'col' }, t)), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Remove')))),
              h(
                'tbody',
                {},
                info.students.map((s) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, s.nickname),
                    h('td', {}, teamPicker(s, info, conn, playing)),
                    h('td', {}, mark(s.connected, s.connected ? 'online' : 'offline')),
                    h('td', {}, s.points),
                    h('td', { class: 'misconceptions', 'data-student': s.nickname }, shownList(conn, s.id)),
                    h('td', {}, h('button', { type: 'button', class: 'small danger', 'aria-label': `Remove ${s.nickname}`, onclick: () => conn.teacher('removePlayer', { playerId: s.id }) }, 'Remove')),
                  ),
                ),
              ),
              ),
            )
          : h('p', { class: 'muted' }, 'Nobody yet: show the projector view so students can join.'),
        h(
          'form',
          { class: 'inline', onsubmit: (e: Event) => { e.preventDefault(); conn.teacher('autoBalance', { teamCount: Number(teamCount.value) }); } },
          h('label', { for: 'team-count' }, 'Teams'),
          teamCount,
          h('button', { type: 'submit', id: 'auto-balance', disabled: playing }, 'Form balanced teams'),
        ),
        joinControls(info, conn),
        h('p', { class: 'muted', id: 'team-hint' }, playing ? 'The match keeps its teams: a student moved to another team, or a late arrival put in one, plays from the next round.' : 'Or put each student in a team by hand with the Team menus above. Students without a team sit out the match.'),
        info.teams.length ? h('ul', { class: 'teams' }, info.teams.map((t) => h('li', {}, h('strong', {}, t.name), `: ${memberNames(t, info)}`))) : null,
      ),
      h(
        'section',
        { class: `panel match-card${playing ? '' : ' setting-up'}`, 'aria-labelledby': 'match-title' },
        h('h2', { id: 'match-title' }, 'Match'),
        h(
          'fieldset',
          { class: 'levels map' },
          h('legend', {}, 'The map: the levels in teaching order'),
          sequencePicker(info.sequence, playing, (steps) => conn.teacher('setSequence', { steps })),
        ),
        hiddenAttackerChoice(info, playing),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'primary', id: 'start-match', disabled: playing || info.teams.length < 1, onclick: () => conn.teacher('startMatch', { hiddenAttacker: hiddenChosen }) }, '▶ Start match'),
          info.status === 'paused'
            ? h('button', { type: 'button', id: 'resume', onclick: () => conn.teacher('resume', {}) }, '▶ Resume')
            : h('button', { type: 'button', id: 'pause', disabled: info.status !== 'playing', onclick: () => conn.teacher('pause', {}) }, '❚❚ Pause'),
          nextButton(info, conn),
          endMatchControls(playing, conn),
        ),
        advanceLine(info, conn),
        conn.teacherDesk.canExportResults ? h('p', {}, h('button', { type: 'button', class: 'link', id: 'export-csv', onclick: () => void saveResults(conn, info.code) }, '⬇ Export results (CSV)')) : null,
        conn.teacherDesk.teacherKey
          ? h(
              'details',
              { class: 'teacher-key' },
              h('summary', {}, 'Teacher key (to reopen this class on another computer)'),
              h('p', {}, h('code', { id: 'teacher-key' }, conn.teacherDesk.teacherKey)),
              h('p', { class: 'muted' }, 'Keep it to yourself: whoever has it controls the class and its results. This browser forgets it when it closes, or when you sign out.'),
              h(
                'label',
                { class: 'check' },
                h('input', { type: 'checkbox', id: 'remember-key', checked: conn.teacherDesk.teacherKeyRemembered, onchange: (e: Event) => conn.teacherDesk.rememberTeacherKey((e.target as HTMLInputElement).checked) }),
                ' Remember it on this computer (not on a shared one)',
              ),
            )
          : null,
      ),
      liveRooms(info, conn, 'teacher'),
      leaderboard(info.teams, info),
    ),
  );
}

/** What a student's play has shown so far (the teacher's eyes only): each misconception, and in how many rounds. */
function shownList(conn: GameConnection, playerId: string): HTMLElement {
  const shown = conn.teacherDesk.shownBy(playerId);
  if (!shown.length) return h('span', { class: 'muted' }, '—');
  return h(
    'ul',
    { class: 'shown' },
    shown.map((s) => h('li', { 'data-misconception': s.misconception }, MISCONCEPTION_WORDS[s.misconception], s.rounds > 1 ? h('span', { class: 'muted' }, ` (${s.rounds} rounds)`) : null)),
  );
}

/** The hidden-attacker mode, chosen for the next match (a running match shows its own). */
function hiddenAttackerChoice(info: ClassInfo, playing: boolean): HTMLElement {
  const t = HIDDEN_ATTACKER_TEXTS;
  return h(
    'div',
    { class: 'hidden-choice' },
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'checkbox', id: 'hidden-attacker', checked: playing ? info.hiddenAttacker : hiddenChosen, disabled: playing, 'aria-describedby': 'hidden-attacker-note', onchange: (e: Event) => (hiddenChosen = (e.target as HTMLInputElement).checked) }),
      ` ${t.title}: ${t.teaches}`,
    ),
    h(
      'p',
      { class: 'muted', id: 'hidden-attacker-note' },
      'Each round a coin decides, room by room, whether the room has an attacker. Its defenders are not told; a team with no attack in its room calls what its opponents will do. This dashboard shows you which rooms have one; the projector and the students learn it from each room’s result.',
    ),
  );
}

/** The class database is away: results wait on the server (and the match is not shown as over before they are saved). */
function unsavedLine(unsaved: number): HTMLElement | null {
  if (unsaved <= 0) return null;
  const results = unsaved === 1 ? '1 round result is' : `${unsaved} round results are`;
  return h(
    'p',
    { class: 'unsaved', role: 'alert', id: 'unsaved' },
    h('strong', {}, `${results} waiting for the class database`),
    ', which cannot be reached right now. The server keeps them and saves them as soon as it is back; the results and the CSV are complete from then on.',
  );
}

/** A round that has just started cannot be stopped for this long: a click meant for the button it replaced lands on nothing. */
const STOP_GRACE_MS = 5_000;
/** The round this dashboard last saw start, and when (its own clock). */
let roundSeen: { round: number; at: number } | undefined;

/**
 * Between rounds "Start the next round now"; while one is played "Stop this round", which stays
 * disabled for its first seconds: when the automatic advance fires under the teacher's cursor,
 * a late click does nothing rather than stop the round that just began. The message says which
 * button it was, and the server refuses it if its round has moved on.
 */
function nextButton(info: ClassInfo, conn: GameConnection): HTMLElement {
  const playing = info.status === 'playing' || info.status === 'paused';
  if (playing && betweenRounds(info))
    return h('button', { type: 'button', id: 'next-round', onclick: () => conn.teacher('nextRound', { round: info.round, stop: false }) }, '→ Start the next round now');
  if (!playing) return h('button', { type: 'button', id: 'stop-round', disabled: true }, '→ Stop this round, go to the next');
  if (roundSeen?.round !== info.round) roundSeen = { round: info.round, at: Date.now() };
  const wait = roundSeen.at + STOP_GRACE_MS - Date.now();
  const button = h(
    'button',
    { type: 'button', id: 'stop-round', disabled: wait > 0, title: wait > 0 ? 'The round has just started' : undefined, onclick: () => conn.teacher('nextRound', { round: info.round, stop: true }) },
    '→ Stop this round, go to the next',
  );
  if (wait > 0)
    setTimeout(() => {
      button.disabled = false;
      button.removeAttribute('title');
    }, wait);
  return button;
}

/** When the teacher last pressed "End match": it asks once more, and the question outlives redraws for a while. */
let endAskedAt = 0;
const END_QUESTION_MS = 10_000;

/** "End match", asked twice: it ends every room's lesson at once, and sits beside "Stop this round". */
function endMatchControls(playing: boolean, conn: GameConnection): HTMLElement {
  const again = (e: Event) => (e.currentTarget as HTMLElement).closest('.end-match')!.replaceWith(endMatchControls(playing, conn)); // the button is inside the group it replaces
  if (!playing || Date.now() - endAskedAt > END_QUESTION_MS) {
    return h('span', { class: 'end-match' }, h('button', { type: 'button', class: 'danger', id: 'end-match', disabled: !playing, onclick: (e: Event) => ((endAskedAt = Date.now()), again(e)) }, '■ End match'));
  }
  return h(
    'span',
    { class: 'end-match', role: 'group', 'aria-label': 'End the match?' },
    'End the match for every room? ',
    h('button', { type: 'button', class: 'danger', id: 'end-match-yes', onclick: () => ((endAskedAt = 0), conn.teacher('endMatch', {})) }, '■ Yes, end the match'),
    ' ',
    h('button', { type: 'button', id: 'end-match-no', onclick: (e: Event) => ((endAskedAt = 0), again(e)) }, 'Keep playing'),
  );
}

/** What the teacher typed survives redraws too. */
let typedClassSize: string | undefined;
let typedRecentMinutes = '5';

/** The class size, and one click against a flood of made-up students. */
function joinControls(info: ClassInfo, conn: GameConnection): HTMLElement {
  const size = h('input', { id: 'class-size', type: 'number', min: 1, max: 190, value: typedClassSize ?? info.maxStudents, oninput: (e: Event) => (typedClassSize = (e.target as HTMLInputElement).value) });
  const minutes = h('input', { id: 'recent-minutes', type: 'number', min: 1, max: 240, value: typedRecentMinutes, oninput: (e: Event) => (typedRecentMinutes = (e.target as HTMLInputElement).value) });
  return h(
    'div',
    { class: 'join-controls' },
    h(
      'form',
      { class: 'inline', onsubmit: (e: Event) => { e.preventDefault(); typedClassSize = undefined; conn.teacher('setClassSize', { maxStudents: Number(size.value) }); } },
      h('label', { for: 'class-size' }, 'Class size'),
      size,
      h('button', { type: 'submit', id: 'set-class-size' }, 'Set'),
      h('span', { class: 'muted' }, ` at most ${info.maxStudents} students`),
    ),
    h(
      'form',
      { class: 'inline', onsubmit: (e: Event) => { e.preventDefault(); conn.teacher('removeRecent', { minutes: Number(minutes.value) }); } },
      h('button', { type: 'submit', class: 'danger', id: 'remove-recent' }, 'Remove everyone who joined in the last'),
      minutes,
      h('label', { for: 'recent-minutes' }, 'minutes'),
    ),
  );
}

/** Fetch the results (the secret goes in a header) and hand them to the browser as a file. */
async function saveResults(conn: GameConnection, code: string): Promise<void> {
  const csv = await conn.teacherDesk.resultsCsv();
  if (!csv) return;
  const url = URL.createObjectURL(csv);
  const a = h('a', { href: url, download: `class-${code}-results.csv`, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Team positions in the order the server numbers them (ids end in -T1, -T2, …). */
function teamSlots(info: ClassInfo): { name: string; id?: string }[] {
  const byPosition = new Map<number, ClassTeam>();
  info.teams.forEach((t, i) => byPosition.set(Number(/-T(\d+)$/.exec(t.id)?.[1] ?? 100 + i) - 1, t));
  const ordered = [...byPosition.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
  // Room for one more team than there is (at least two), up to the server's 16; a running match keeps its teams.
  const running = info.status === 'playing' || info.status === 'paused';
  const count = running ? ordered.length : Math.min(MAX_TEAMS, Math.max(2, ordered.length + 1));
  return Array.from({ length: count }, (_, i) => (ordered[i] ? { name: ordered[i].name, id: ordered[i].id } : { name: TEAM_NAMES[i]! }));
}

/**
 * Moves the teacher made that the server has not confirmed yet, by student id → team position
 * (-1: no team). formTeams sends the whole plan, so a second move made before the first one
 * comes back must carry the first one too, or it would undo it.
 */
const pendingMoves = new Map<string, number>();
/** The class as last drawn: a menu's change reads it, not the state of the render that built the menu. */
let latestInfo: ClassInfo | undefined;

function positionOf(studentId: string, info: ClassInfo, slots: { id?: string }[]): number {
  const teamId = info.students.find((s) => s.id === studentId)?.teamId;
  return slots.findIndex((slot) => slot.id !== undefined && slot.id === teamId);
}

/** Forget the moves the server's state now shows (or that can no longer apply). */
function settleMoves(info: ClassInfo): void {
  latestInfo = info;
  const slots = teamSlots(info);
  for (const [id, position] of pendingMoves) if (!info.students.some((s) => s.id === id) || positionOf(id, info, slots) === position) pendingMoves.delete(id);
}

/** The teacher's own teams: a menu per student; a change sends every team's player ids (formTeams). */
function teamPicker(student: ClassInfo['students'][number], info: ClassInfo, conn: GameConnection, playing: boolean): HTMLElement {
  const slots = teamSlots(info);
  const current = pendingMoves.get(student.id) ?? positionOf(student.id, info, slots);
  return h(
    'select',
    {
      id: `team-of-${student.id}`,
      class: 'team-picker',
      'aria-label': `Team for ${student.nickname}`,
      'aria-describedby': 'team-hint',
      onchange: (e: Event) => {
        pendingMoves.set(student.id, Number((e.target as HTMLSelectElement).value));
        const now = latestInfo ?? info;
        const nowSlots = teamSlots(now);
        const teams: string[][] = nowSlots.map(() => []);
        for (const s of now.students) {
          const position = pendingMoves.get(s.id) ?? positionOf(s.id, now, nowSlots);
          teams[position]?.push(s.id); // a position past the teams (or -1: none) places nobody
        }
        // Trailing empty teams are dropped, keeping the two the server requires.
        while (teams.length > 2 && teams.at(-1)!.length === 0) teams.pop();
        conn.teacher('formTeams', { teams });
      },
    },
    h('option', { value: -1, selected: current < 0 }, 'No team (sits out)'),
    slots.map((slot, i) => h('option', { value: i, selected: i === current }, slot.name)),
  );
}

/** The dashboard's line about the automatic advance: a countdown the teacher can hold. */
function advanceLine(info: ClassInfo, conn: GameConnection): HTMLElement | null {
  if (!betweenRounds(info) || (info.status !== 'playing' && info.status !== 'paused')) return null;
  const next = `Round ${info.round + 2} (level ${levelLabel(info.nextLevel)}${info.nextEvent ? ` + ${EVENT_TEXTS[info.nextEvent].title}` : ''}, sides swapped)`;
  const counting = info.nextRoundIn >= 0 && !info.holding;
  return h(
    'div',
    { class: 'advance', role: 'status', id: 'advance' },
    h('p', {}, counting ? [`${next} starts by itself in `, countdown(info.nextRoundIn), ' s.'] : info.status === 'paused' ? `${next} waits: the match is paused.` : `${next} waits for you: press “Start the next round now”.`),
    info.nextRoundIn >= 0 || info.holding
      ? h(
          'button',
          { type: 'button', id: 'hold-advance', 'aria-pressed': String(info.holding), onclick: () => conn.teacher('holdAdvance', { hold: !info.holding }) },
          info.holding ? '▶ Let the countdown run' : 'Hold here (debrief first)',
        )
      : null,
  );
}
