/** The landing page: practise alone, join a room or a class, host a room, create a class. */
import { LEVELS, LIMITS, parseLevel, parseRole, ROLES } from '../../shared.ts';
import { LEVEL_INFO, ROLE_INFO, levelName, practiceBots } from '../../content/levels.ts';
import type { GameConnection } from '../../net/GameConnection.ts';
import { lastTaughtClass, readNickname, rememberNickname } from '../../net/GameConnection.ts';
import { h } from '../dom.ts';

export function landingScreen(conn: GameConnection, prefillClass?: string): HTMLElement {
  const error = h('p', { class: 'form-error', role: 'alert', id: 'landing-error' });
  const nickname = h('input', {
    id: 'nickname',
    name: 'nickname',
    type: 'text',
    autocomplete: 'nickname',
    required: true,
    minlength: LIMITS.nicknameMin,
    maxlength: LIMITS.nicknameMax,
    value: readNickname(),
    'aria-describedby': 'nickname-hint',
  });
  const code = h('input', { id: 'join-code', type: 'text', autocomplete: 'off', maxlength: 8, value: prefillClass ?? '', 'aria-describedby': 'code-hint', class: 'code-input' });
  const level = h(
    'select',
    { id: 'practice-level' },
    LEVELS.map((l) => h('option', { value: l }, levelName(l))),
  );
  const roles = h(
    'fieldset',
    { class: 'role-choice' },
    h('legend', {}, 'Your role'),
    ROLES.map((r, i) =>
      h(
        'label',
        { class: 'radio' },
        h('input', { type: 'radio', name: 'practice-role', value: r, checked: i === 0 }),
        ` ${ROLE_INFO[r].name} `,
        h('span', { class: 'muted' }, `(${ROLE_INFO[r].who})`),
      ),
    ),
  );

  const validNickname = (): string | undefined => {
    const n = nickname.value.trim();
    if (n.length < LIMITS.nicknameMin || n.length > LIMITS.nicknameMax || !LIMITS.nicknamePattern.test(n)) {
      error.textContent = `Choose a nickname of ${LIMITS.nicknameMin}–${LIMITS.nicknameMax} letters, digits, spaces, - or _.`;
      nickname.setAttribute('aria-invalid', 'true');
      nickname.focus();
      return undefined;
    }
    nickname.removeAttribute('aria-invalid');
    rememberNickname(n);
    return n;
  };
  const validCode = (): string | undefined => {
    const c = code.value.trim().toUpperCase();
    if (!c) {
      error.textContent = 'Type the code shown by your teacher or your friend.';
      code.focus();
      return undefined;
    }
    return c;
  };
  const run = (task: () => Promise<unknown>) => async (e: Event) => {
    e.preventDefault();
    error.textContent = '';
    const buttons = [...document.querySelectorAll<HTMLButtonElement>('.landing button')];
    buttons.forEach((b) => (b.disabled = true));
    try {
      await task();
    } catch (err) {
      error.textContent = err instanceof Error ? err.message : String(err);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  };

  const practice = run(async () => {
    const n = validNickname();
    if (!n) return;
    const role = parseRole(document.querySelector<HTMLInputElement>('input[name="practice-role"]:checked')?.value) ?? 'client';
    const l = parseLevel(Number(level.value)) ?? 1;
    await conn.startPractice({ nickname: n, role, level: l, bots: practiceBots(l) });
  });

  return h(
    'main',
    { class: 'landing', id: 'main' },
    h(
      'header',
      { class: 'hero' },
      h('h1', {}, 'Handshake Heist'),
      h('p', {}, 'Alice wants to log in to her bank from the café Wi-Fi. Mallory is on the same Wi-Fi. Play every side — browser, bank, certificate authority, attacker — and find out what really keeps HTTPS secret.'),
    ),
    h(
      'div',
      { class: 'name-row' },
      h('label', { for: 'nickname' }, 'Your nickname'),
      nickname,
      h('span', { id: 'nickname-hint', class: 'muted' }, `${LIMITS.nicknameMin}–${LIMITS.nicknameMax} characters`),
    ),
    error,
    h(
      'div',
      { class: 'cards' },
      // Joining first: in a class most arrive by the projector's code, on a phone too, where the cards stack.
      h(
        'form',
        { class: 'card', 'aria-labelledby': 'join-title', onsubmit: (e: Event) => e.preventDefault() },
        h('h2', { id: 'join-title' }, 'Join with a code'),
        h('label', { for: 'join-code' }, 'Room or class code'),
        code,
        h('p', { id: 'code-hint', class: 'muted' }, `${LIMITS.roomCodeLength} letters or digits, shown on the projector or by the host`),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: prefillClass ? 'primary' : '', id: 'join-class', onclick: run(async () => { const n = validNickname(); const c = n && validCode(); if (n && c) await conn.joinClass(c, n); }) }, 'Join a class'),
          h('button', { type: 'button', id: 'join-room', onclick: run(async () => { const n = validNickname(); const c = n && validCode(); if (n && c) await conn.joinGame(c, n); }) }, 'Join a game room'),
        ),
      ),
      h(
        'form',
        { class: 'card', 'aria-labelledby': 'practice-title', onsubmit: practice },
        h('h2', { id: 'practice-title' }, 'Practise alone'),
        h('p', {}, 'Pick a role and a level; bots play the other seats.'),
        roles,
        h('label', { for: 'practice-level' }, 'Level'),
        level,
        h('p', { class: 'muted', id: 'level-concept' }, LEVEL_INFO[1].briefing.summary),
        h('button', { type: 'submit', class: 'primary', id: 'practice-start' }, 'Practise'),
      ),
      h(
        'div',
        { class: 'card', role: 'group', 'aria-labelledby': 'host-title' },
        h('h2', { id: 'host-title' }, 'Host'),
        h('p', {}, 'Open a room for friends (you choose seats and the level), or watch four bots play.'),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', id: 'create-room', onclick: run(async () => { const n = validNickname(); if (n) await conn.createGame(n); }) }, 'Create a game room'),
          h('button', { type: 'button', id: 'watch-demo', onclick: run(async () => { const n = validNickname(); if (n) await conn.watchDemo(n); }) }, 'Watch bots play'),
        ),
        h('h3', {}, 'Teachers'),
        h('p', {}, 'Create a class: you get a code and a QR code for the projector; students join with a nickname, no accounts.'),
        h('button', { type: 'button', id: 'create-class', onclick: run(() => conn.createClass()) }, 'Create a class'),
        reopenClass(conn, run),
      ),
    ),
  );
}

/** Keep the practice card's one-line concept in step with the chosen level. */
export function wireLanding(root: HTMLElement): void {
  const level = root.querySelector<HTMLSelectElement>('#practice-level');
  const concept = root.querySelector<HTMLElement>('#level-concept');
  level?.addEventListener('change', () => {
    const l = parseLevel(Number(level.value));
    if (concept && l !== undefined) concept.textContent = LEVEL_INFO[l].briefing.summary;
  });
}

/** A teacher reopens a class (another laptop, or after the server restarted) with its key. */
function reopenClass(conn: GameConnection, run: (task: () => Promise<unknown>) => (e: Event) => Promise<void>): HTMLElement {
  const last = lastTaughtClass();
  const code = h('input', { id: 'reopen-code', type: 'text', autocomplete: 'off', class: 'code-input', value: last?.code ?? '' });
  const key = h('input', { id: 'reopen-key', type: 'password', autocomplete: 'off', value: last?.teacherSecret ?? '' });
  const remember = h('input', { id: 'remember-key', type: 'checkbox' });
  return h(
    'details',
    { class: 'reopen', open: last ? true : undefined },
    h('summary', {}, 'Reopen a class'),
    h(
      'form',
      { class: 'tool', onsubmit: run(() => conn.openClassAsTeacher(code.value, key.value, remember.checked)) },
      h('label', { for: 'reopen-code' }, 'Class code'),
      code,
      h('label', { for: 'reopen-key' }, 'Teacher key'),
      key,
      h('label', { class: 'check' }, remember, ' Remember on this computer (not on a shared one)'),
      h('button', { type: 'submit', id: 'reopen-class' }, 'Open the dashboard'),
    ),
  );
}
