/**
 * What a class lobby says, as domain events on the bus: its state, read for this tab's side
 * (teacher or student; the first one announces the join), the welcome that tells a student who
 * she is (kept with the room's token, so a reload comes back as her), this round's seat for a
 * student to follow, the teacher's watch tickets (and, in a hidden-attacker match, which rooms
 * have an attacker), and errors.
 */
import type { Room } from 'colyseus.js';
import type { Bus } from '../bus.ts';
import type { ClassServerMessages } from '../shared.ts';
import type { ClassState } from '../../../server/src/schema/ClassState.ts';
import type { AssignmentFollower } from './assignments.ts';
import { readTokens, rememberPlayerToken, writeTokens } from './browserStorage.ts';
import type { ClassPlace } from './classPlace.ts';
import { readClassState } from './stateReaders.ts';
import type { TeacherDesk } from './teacherDesk.ts';

/** Who hears the class lobby besides the bus. */
export interface ClassListeners {
  /** Who this tab is in the class. */
  place: ClassPlace;
  /** A student's seats, round after round. */
  seats: AssignmentFollower;
  /** The teacher's watch tickets. */
  desk: TeacherDesk;
}

export function relayClassMessages(room: Room, bus: Bus, { place, seats, desk }: ClassListeners): void {
  const remember = () => writeTokens({ ...readTokens(), class: place.record(room.reconnectionToken) });
  const read = (state: unknown) => readClassState(state as ClassState, place.isTeacher, place.playerId);
  remember();
  room.onMessage('welcome', (w: ClassServerMessages['welcome']) => {
    place.playerId = w.playerId;
    remember();
    if (place.code) rememberPlayerToken(place.code, w.playerToken);
    if (room.state) bus.emit('class:state', read(room.state));
  });
  room.onMessage('watch', (w: ClassServerMessages['watch']) => desk.ticket(w));
  room.onMessage('hiddenAttackers', (m: ClassServerMessages['hiddenAttackers']) => desk.hiddenAttackers(m));
  room.onMessage('misconceptions', (m: ClassServerMessages['misconceptions']) => desk.misconceptions(m));
  room.onMessage('assignment', (a: ClassServerMessages['assignment']) => {
    bus.emit('class:assignment', a);
    void seats.follow(a);
  });
  room.onMessage('error', (error: ClassServerMessages['error']) => bus.emit('net:error', { code: error.code, message: error.message }));
  // Anything else the server says is not ours to interpret.
  room.onMessage('*', () => undefined);
  let announced = false;
  room.onStateChange((state: unknown) => {
    const info = read(state);
    place.code = info.code || place.code;
    // Once the match is over there is no seat to share with another tab, nor one to follow.
    if (info.status === 'ended') seats.matchEnded();
    if (!announced) {
      announced = true;
      bus.emit('class:joined', { code: info.code, isTeacher: place.isTeacher });
    }
    bus.emit('class:state', info);
  });
}
