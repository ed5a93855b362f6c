/** The class on the projector: where to join (address and QR code), the code, the leaderboard and the live rooms. */
import type { ClassInfo } from '../../bus.ts';
import type { GameConnection } from '../../net/GameConnection.ts';
import { h, replaceChildren } from '../dom.ts';
import { leaderboard, liveRooms, STATUS } from './classBoard.ts';
import { upNext } from './upNext.ts';

/** The address the teacher picked for the projector (kept across redraws). */
let chosenOrigin: string | undefined;

export function projectorView(info: ClassInfo, conn: GameConnection, setProjector: (on: boolean) => void): HTMLElement {
  const qr = h('canvas', { id: 'class-qr', role: 'img', 'aria-label': `QR code to join class ${info.code}` });
  const urlLine = h('p', { class: 'projector-url', id: 'projector-url' });
  const picker = h('p', { class: 'projector-pick' });
  const show = (origin: string, all: string[]) => {
    const url = conn.teacherDesk.joinUrl(info.code, origin);
    urlLine.textContent = url;
    // Loaded on demand, off the students' download.
    void import('../qr.ts').then(({ drawQr }) => drawQr(qr, url));
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
    { class: info.status === 'lobby' ? 'projector' : 'projector under-way', id: 'main' },
    h(
      'div',
      { class: 'projector-join' },
      h('p', { class: 'projector-lead' }, 'Join the class at this address, or scan:'),
      urlLine,
      qr,
      picker,
      h('p', { class: 'projector-code' }, 'Class code ', h('strong', { id: 'projector-code' }, info.code)),
      h('p', {}, `${info.students.length} joined · ${STATUS[info.status] ?? info.status}`, info.hiddenAttacker ? ' · hidden attacker: some rooms have none' : ''),
      // Between rounds: the next round's level and event, for the class to read.
      upNext(info),
      h('button', { type: 'button', class: 'link', id: 'close-projector', onclick: () => setProjector(false) }, 'Back to the dashboard'),
    ),
    h('div', { class: 'projector-side' }, leaderboard(info.teams, info), liveRooms(info, conn, 'public')),
  );
}

