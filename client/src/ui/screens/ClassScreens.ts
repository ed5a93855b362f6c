/**
 * Class play: the students' waiting screen, the teacher's dashboard (teams, live rooms,
 * leaderboard, controls, CSV export) and the projector view (the class code and its QR code).
 */
import type { ClassInfo, ClassMatch, ClassTeam } from '../../bus.ts';
import { LEVELS, levelLabel, parseLevel, TEAM_NAMES } from '../../shared.ts';
import { LEVEL_INFO } from '../../content/levels.ts';
import type { GameConnection } from '../../net/GameConnection.ts';
import { h, mark, replaceChildren } from '../dom.ts';
import { OUTCOME_WORDS } from '../words.ts';
import { betweenRounds, countdown, upNext } from './upNext.ts';

/** The most teams a class may have (the server's formTeams limit). */
const MAX_TEAMS = TEAM_NAMES.length;

const STATUS: Record<string, string> = {
  lobby: 'Waiting for the teacher to start the match',
  playing: 'Match in progress',
  paused: 'Paused by the teacher',
  ended: 'Match over',
};

export function studentWaitingScreen(info: ClassInfo, conn: GameConnection): HTMLElement {
  const me = info.students.find((s) => s.id === info.me);
  const team = info.teams.find((t) => t.id === me?.teamId);
  return h(
    'main',
    { class: 'class-wait', id: 'main' },
    h('h1', {}, `Class ${info.code}`),
    h('p', { class: 'lead', role: 'status' }, STATUS[info.status] ?? info.status),
    h('p', {}, 'You are ', h('strong', {}, me?.nickname ?? '…'), team ? [' in team ', h('strong', { id: 'my-team' }, team.name)] : ' (no team yet)', '.'),
    conn.isSuperseded
      ? h(
          'div',
          { class: 'up-next', role: 'status', id: 'superseded' },
          h('p', {}, h('strong', {}, 'You are playing in another tab or window.'), ' This one waits, so the two do not take your seat from each other.'),
          h('button', { type: 'button', class: 'primary', onclick: () => void conn.playHere() }, 'Play in this tab instead'),
        )
      : (upNext(info) ??
          (info.status === 'playing' && me && !me.role && me.teamId
            ? h('p', { class: 'up-next', role: 'status', id: 'sitting-out' }, h('strong', {}, 'This round is under way without you. '), 'You are dealt a seat in the next one.')
            : h('p', { class: 'muted' }, 'When the teacher starts a round you are taken to your room and your role. Roles swap every round, so you play every side.'))),
    leaderboard(info.teams, info),
    h('button', { type: 'button', class: 'link', onclick: () => void conn.leaveAll() }, 'Leave the class'),
  );
}

export function teacherScreen(info: ClassInfo, conn: GameConnection, projector: boolean, setProjector: (on: boolean) => void): HTMLElement {
  return projector ? projectorView(info, conn, setProjector) : dashboard(info, conn, setProjector);
}

/** What the teacher typed survives the dashboard being redrawn on every state change. */
let typedTeamCount: string | undefined;

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
      h('p', { role: 'status' }, STATUS[info.status] ?? info.status, info.round >= 0 && info.totalRounds ? ` — round ${info.round + 1} of ${info.totalRounds}` : ''),
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
              h('thead', {}, h('tr', {}, ['Nickname', 'Team', 'Online', 'Points'].map((t) => h('th', { scope: 'col' }, t)), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Remove')))),
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
        { class: 'panel', 'aria-labelledby': 'match-title' },
        h('h2', { id: 'match-title' }, 'Match'),
        h(
          'fieldset',
          { class: 'levels' },
          h('legend', {}, 'Levels to play, in order'),
          LEVELS.map((l) =>
            h(
              'label',
              { class: 'check' },
              h('input', {
                type: 'checkbox',
                value: l,
                'data-level': l,
                checked: info.levels.includes(l),
                disabled: playing,
                onchange: (e: Event) => {
                  const box = (e.target as HTMLInputElement).closest('fieldset')!;
                  const levels = [...box.querySelectorAll<HTMLInputElement>('input:checked')].flatMap((i) => parseLevel(Number(i.value)) ?? []);
                  if (levels.length) conn.teacher('setLevels', { levels });
                },
              }),
              ` ${levelLabel(l)}. ${LEVEL_INFO[l].title}`,
            ),
          ),
        ),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'primary', id: 'start-match', disabled: playing || info.teams.length < 1, onclick: () => conn.teacher('startMatch', {}) }, '▶ Start match'),
          info.status === 'paused'
            ? h('button', { type: 'button', id: 'resume', onclick: () => conn.teacher('resume', {}) }, '▶ Resume')
            : h('button', { type: 'button', id: 'pause', disabled: info.status !== 'playing', onclick: () => conn.teacher('pause', {}) }, '❚❚ Pause'),
          nextButton(info, conn),
          h('button', { type: 'button', class: 'danger', id: 'end-match', disabled: !playing, onclick: () => conn.teacher('endMatch', {}) }, '■ End match'),
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
      liveRooms(info, conn),
      leaderboard(info.teams, info),
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

/** The address the teacher picked for the projector (kept across redraws). */
let chosenOrigin: string | undefined;

function projectorView(info: ClassInfo, conn: GameConnection, setProjector: (on: boolean) => void): HTMLElement {
  const qr = h('canvas', { id: 'class-qr', role: 'img', 'aria-label': `QR code to join class ${info.code}` });
  const urlLine = h('p', { class: 'projector-url', id: 'projector-url' });
  const picker = h('p', { class: 'projector-pick' });
  const show = (origin: string, all: string[]) => {
    const url = conn.teacherDesk.joinUrl(info.code, origin);
    urlLine.textContent = url;
    void drawQr(qr, url);
    replaceChildren(
      picker,
      all.length > 1
        ? [
            h('label', { for: 'join-address' }, 'Students cannot open it? Try another address of this computer: '),
            h(
              'select',
              { id: 'join-address', onchange: (e: Event) => show((chosenOrigin = (e.target as HTMLSelectElement).value), all) },
              all.map((o) => h('option', { value: o, selected: o === origin }, o)),
            ),
          ]
        : null,
    );
  };
  show(chosenOrigin ?? conn.teacherDesk.pageOrigin, chosenOrigin ? [chosenOrigin] : []);
  void conn.teacherDesk.reachableOrigins().then((all) => {
    if (chosenOrigin && !all.includes(chosenOrigin)) chosenOrigin = undefined;
    if (all.length) show(chosenOrigin ?? all[0]!, all);
  });
  return h(
    'main',
    { class: 'projector', id: 'main' },
    h(
      'div',
      { class: 'projector-join' },
      h('p', { class: 'projector-lead' }, 'Join the class at this address, or scan:'),
      urlLine,
      qr,
      picker,
      h('p', { class: 'projector-code' }, 'Class code ', h('strong', { id: 'projector-code' }, info.code)),
      h('p', {}, `${info.students.length} joined · ${STATUS[info.status] ?? info.status}`),
      h('button', { type: 'button', class: 'link', id: 'close-projector', onclick: () => setProjector(false) }, 'Back to the dashboard'),
    ),
    h('div', { class: 'projector-side' }, leaderboard(info.teams, info), liveRooms(info, conn)),
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

/** The qrcode package is only needed here: load it on demand, off the students' download. */
async function drawQr(canvas: HTMLCanvasElement, text: string): Promise<void> {
  const QRCode = (await import('qrcode')).default;
  await QRCode.toCanvas(canvas, text, { width: 320, margin: 2, errorCorrectionLevel: 'M' });
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

function memberNames(team: ClassTeam, info: ClassInfo): string {
  return team.members.map((id) => info.students.find((s) => s.id === id)?.nickname ?? id).join(', ') || 'nobody';
}

function teamName(id: string, info: ClassInfo): string {
  return id ? info.teams.find((t) => t.id === id)?.name ?? id : 'bots';
}

const PHASE_WORDS: Record<string, string> = { lobby: 'waiting', playing: 'playing', over: 'over', interrupted: 'stopped by the teacher' };

function liveRooms(info: ClassInfo, conn: GameConnection): HTMLElement {
  const watchable = new Set(conn.teacherDesk.watchableRooms);
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'rooms-title' },
    h('h2', { id: 'rooms-title' }, 'Live rooms'),
    info.matches.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'rooms' },
            h('thead', {}, h('tr', {}, ['Room', 'Defending', 'Attacking', 'Level', 'Now', 'Show'].map((t) => h('th', { scope: 'col' }, t)))),
            info.matches.map((m) => {
              const o = m.outcome ? OUTCOME_WORDS[m.outcome as keyof typeof OUTCOME_WORDS] : undefined;
              return h(
                'tbody',
                { class: 'room' },
                h(
                  'tr',
                  {},
                  h('td', {}, m.roomCode),
                  h('td', {}, teamName(m.defending, info)),
                  h('td', {}, teamName(m.attacking, info)),
                  h('td', {}, `${levelLabel(m.level)}. ${LEVEL_INFO[m.level]?.title ?? ''}`),
                  h('td', { title: m.summary, class: 'room-now' }, o ? `${o.icon} ${o.title}` : (PHASE_WORDS[m.phase] ?? m.phase)),
                  h(
                    'td',
                    {},
                    watchable.has(m.roomCode) && m.open
                      ? h('button', { type: 'button', class: 'small', 'aria-label': `Show live: room ${m.roomCode}`, onclick: () => void conn.teacherDesk.watchRoom(m.roomCode) }, 'Show live')
                      : m.open ? null : h('span', { class: 'muted' }, 'closed'),
                  ),
                ),
                h('tr', { class: 'room-seats' }, h('td', { colspan: 6 }, roomSeats(m, info))),
              );
            }),
          ),
        )
      : h('p', { class: 'muted' }, 'No rooms yet: they open when the match starts.'),
  );
}

const SEAT_NAMES: Record<string, string> = { client: 'Client', server: 'Server', ca: 'CA', attacker: 'Attacker' };

/** Who plays which role in a room this round (a seat nobody was dealt is a bot's). */
function roomSeats(m: ClassMatch, info: ClassInfo): HTMLElement {
  const teams = new Set([m.defending, m.attacking].filter(Boolean));
  const inRoom = info.students.filter((s) => teams.has(s.teamId) && s.role);
  return h(
    'p',
    { class: 'seats-line', 'data-room': m.roomCode },
    Object.entries(SEAT_NAMES).flatMap(([role, name], i) => {
      const who = inRoom.filter((s) => s.role === role).map((s) => s.nickname);
      return [i ? ' · ' : '', h('strong', {}, `${name}: `), who.length ? who.join(', ') : h('span', { class: 'muted' }, 'bot')];
    }),
  );
}

/** The dashboard's line about the automatic advance: a countdown the teacher can hold. */
function advanceLine(info: ClassInfo, conn: GameConnection): HTMLElement | null {
  if (!betweenRounds(info) || (info.status !== 'playing' && info.status !== 'paused')) return null;
  const next = `Round ${info.round + 2} (level ${levelLabel(info.nextLevel)}, sides swapped)`;
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

function leaderboard(teams: ClassTeam[], info: ClassInfo): HTMLElement {
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'leaderboard-title' },
    h('h2', { id: 'leaderboard-title' }, '★ Leaderboard'),
    teams.length
      ? h(
          'ol',
          { class: 'leaderboard' },
          teams.map((t) => h('li', {}, h('strong', {}, t.name), ` — ${t.points} points`, h('span', { class: 'muted' }, ` (${memberNames(t, info)})`))),
        )
      : h('p', { class: 'muted' }, 'Teams appear here once they are formed.'),
    teams.length
      ? h('p', { class: 'muted small-print' }, 'Only seats students played count: a seat a bot filled scores for nobody. A seat several students share counts once for their team; each of them is credited its points (the CSV’s team_points and points).')
      : null,
  );
}
