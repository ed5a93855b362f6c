/**
 * How long one process waits for another to answer over Redis: Colyseus'
 * `COLYSEUS_PRESENCE_SHORT_TIMEOUT` (its default is 2 s). It bounds every request between
 * processes that Colyseus makes: a seat reserved in a room on another process (every join that
 * reaches a process other than the room's), a call between a class lobby and its rooms
 * (`remoteRoomCall`), a room created on another process, and a health check.
 *
 * Why 10 s and not 2: the answer comes from the other process's event loop, which under load
 * is late by its stalls. On a 2-core machine shared with other work, loops stalled for 1–2.4 s
 * and 1,000 joins opening 250 rooms took up to 4.4 s at the 99th percentile
 * (docs/benchmarks.md); at 2 s, three multi-process load runs in six lost joins that way. When a
 * seat reservation times out, Colyseus health-checks the room's process (the same timeout) and,
 * if that answers, refuses the join as "… is already full." although the room has seats (the
 * matchmaker's door now says what happened: http/matchmake.ts); if that does not answer either,
 * it declares the process dead and drops all its rooms from the listing, so a stall of twice the
 * timeout cost every room of a live process. 10 s is beyond any stall measured, and below
 * Colyseus' 15 s seat reservation (a seat reserved late is still there for its browser). The
 * price: a join to a room whose process has just died waits up to 10 s (then 10 s more for the
 * health check) before it is refused; the class lobby learns of a dead process from its
 * heartbeat (3 s), not from this.
 *
 * Colyseus reads the variable once, when @colyseus/core is first imported: main.ts imports this
 * module before anything else. An operator's own COLYSEUS_PRESENCE_SHORT_TIMEOUT is kept.
 */
export const DEFAULT_PRESENCE_SHORT_TIMEOUT_MS = 10_000;

if (!process.env.COLYSEUS_PRESENCE_SHORT_TIMEOUT) process.env.COLYSEUS_PRESENCE_SHORT_TIMEOUT = String(DEFAULT_PRESENCE_SHORT_TIMEOUT_MS);
