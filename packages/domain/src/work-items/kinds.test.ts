import { describe, expect, test } from 'vitest';
import { ROLES, type Role } from '../roles.ts';
import {
  KINDS,
  REQUIREMENTS,
  TransitionError,
  WORK_ITEM_KINDS,
  actionsOf,
  actorMatches,
  availableActions,
  isTerminal,
  itemNumber,
  kindOfPrefix,
  openStates,
  planTransition,
  type Requirement,
  type TransitionActor,
  type WorkItemKind,
} from './kinds.ts';

const ALL_PROVIDED: Record<Requirement, boolean> = Object.fromEntries(REQUIREMENTS.map((r) => [r, true])) as Record<Requirement, boolean>;

/** Actors the table tests try: each role alone, the item's assignee and the item's reporter. */
type TableActor = Role | 'assignee' | 'reporter';
const ACTORS: TableActor[] = [...ROLES, 'assignee', 'reporter'];
function whoIs(a: TableActor): TransitionActor {
  if (a === 'assignee') return { roles: ['technician'], isAssignee: true, isReporter: false };
  if (a === 'reporter') return { roles: ['occupant'], isAssignee: false, isReporter: true };
  return { roles: [a], isAssignee: false, isReporter: false };
}
const role = (r: Role): TransitionActor => ({ roles: [r], isAssignee: false, isReporter: false });

/** The target state, or the refusal reason. */
function outcome(kind: WorkItemKind, state: string, action: string, who: TransitionActor, provided: Partial<Record<Requirement, boolean>> = ALL_PROVIDED): string {
  try {
    return planTransition(kind, state, action, who, provided).to;
  } catch (e) {
    if (e instanceof TransitionError) return `!${e.reason}`;
    throw e;
  }
}

describe('DESIGN §2.2 kinds are well-formed data', () => {
  for (const kind of WORK_ITEM_KINDS) {
    const def = KINDS[kind];
    const states = Object.keys(def.states);

    test(`${kind}: initial, from and to states exist; actors and requirements are known`, () => {
      expect(def.kind).toBe(kind);
      expect(states).toContain(def.initial);
      for (const t of def.transitions) {
        expect(t.from.length, t.action).toBeGreaterThan(0);
        for (const s of [...t.from, t.to]) expect(states, `${t.action}: ${s}`).toContain(s);
        for (const a of t.by) expect([...ROLES, 'assignee', 'reporter']).toContain(a);
        for (const r of t.requires ?? []) expect(REQUIREMENTS).toContain(r);
        expect(t.zh && t.en, t.action).toBeTruthy();
      }
      for (const s of Object.values(def.states)) expect(s.zh && s.en && s.occupantZh && s.occupantEn).toBeTruthy();
    });

    test(`${kind}: terminal states have no way out; one action never has two entries for the same state and actor`, () => {
      for (const t of def.transitions) for (const s of t.from) expect(def.states[s].terminal, `${t.action} from ${s}`).not.toBe(true);
      for (const action of actionsOf(kind)) {
        const entries = def.transitions.filter((t) => t.action === action);
        for (const s of states) {
          for (const a of ACTORS) {
            const matching = entries.filter((t) => t.from.includes(s) && t.by.includes(a));
            expect(matching.length, `${action} from ${s} by ${a}`).toBeLessThanOrEqual(1);
          }
        }
      }
    });

    test(`${kind}: every non-terminal state is reachable from the initial state and can reach a terminal state`, () => {
      const next = (s: string) => def.transitions.filter((t) => t.from.includes(s)).map((t) => t.to);
      const reach = (from: string) => {
        const seen = new Set([from]);
        const queue = [from];
        while (queue.length) for (const n of next(queue.shift()!)) if (!seen.has(n)) (seen.add(n), queue.push(n));
        return seen;
      };
      const fromInitial = reach(def.initial);
      expect(states.some((s) => def.states[s].terminal)).toBe(true);
      for (const s of states) {
        if (def.states[s].terminal) continue;
        expect(fromInitial.has(s), `${s} reachable`).toBe(true);
        expect([...reach(s)].some((r) => def.states[r].terminal), `${s} can finish`).toBe(true);
      }
    });
  }

  test('RP-1 number prefixes are unique and map back to their kind', () => {
    const prefixes = WORK_ITEM_KINDS.map((k) => KINDS[k].prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const k of WORK_ITEM_KINDS) expect(kindOfPrefix(KINDS[k].prefix)).toBe(k);
    expect(kindOfPrefix('XX')).toBeUndefined();
  });

  test('RP-4 openStates and isTerminal agree', () => {
    expect(openStates('repair')).not.toContain('closed');
    expect(openStates('repair')).toContain('waiting_parts');
    expect(isTerminal('repair', 'cancelled')).toBe(true);
    expect(isTerminal('complaint', 'resolved')).toBe(false);
    expect(() => isTerminal('repair', 'nope')).toThrow(RangeError);
  });
});

describe('RP-4 the occupant sees repair progress in their own words', () => {
  test('RP-4 occupant labels follow 已提交 → 已接单 → 在途 / 到场 → 维修中 → 已完成', () => {
    const s = KINDS.repair.states;
    expect([s.new, s.accepted, s.on_the_way, s.on_site, s.in_progress, s.waiting_parts, s.completed, s.cancelled].map((x) => x.occupantZh))
      .toEqual(['已提交', '已接单', '师傅在途', '师傅已到场', '维修中', '等待配件', '已完成', '已取消']);
  });

  test('RP-4 the occupant timeline shows accept, on the way, arrival, repair, waiting, reassignment, completion and cancel', () => {
    const pub = new Set(KINDS.repair.transitions.filter((t) => t.public).map((t) => t.action));
    for (const a of ['accept', 'depart', 'arrive', 'start', 'wait_parts', 'reassign', 'complete', 'cancel']) expect(pub.has(a), a).toBe(true);
    expect(pub.has('decline')).toBe(false);
  });
});

describe('RP-4 planTransition refuses what the kind does not allow', () => {
  const tech = { roles: ['technician'] as Role[], isAssignee: false, isReporter: false };
  const assignee = { ...tech, isAssignee: true };
  const reporter = { roles: ['occupant'] as Role[], isAssignee: false, isReporter: true };

  test('RP-4 an unknown action is unknown_action', () => {
    expect(outcome('repair', 'new', 'teleport', role('admin'))).toBe('!unknown_action');
    expect(outcome('inquiry', 'new', 'wait_parts', role('admin'))).toBe('!unknown_action');
  });

  test('RP-4 a known action in the wrong state is illegal_state, even for a role that could take it elsewhere', () => {
    expect(outcome('repair', 'completed', 'assign', role('agent'))).toBe('!illegal_state');
    expect(outcome('repair', 'new', 'complete', assignee)).toBe('!illegal_state');
    expect(outcome('repair', 'closed', 'reopen', reporter)).toBe('!illegal_state');
    expect(outcome('complaint', 'new', 'resolve', assignee)).toBe('!illegal_state');
  });

  test('RP-2 a technician cannot dispatch; an occupant cannot complete; only the assignee may accept', () => {
    expect(outcome('repair', 'new', 'assign', tech)).toBe('!not_allowed');
    expect(outcome('repair', 'in_progress', 'complete', reporter)).toBe('!not_allowed');
    expect(outcome('repair', 'in_progress', 'complete', { roles: ['occupant'], isAssignee: false, isReporter: false })).toBe('!not_allowed');
    expect(outcome('repair', 'assigned', 'accept', tech)).toBe('!not_allowed');
    expect(outcome('repair', 'assigned', 'accept', role('supervisor'))).toBe('!not_allowed');
    expect(outcome('repair', 'assigned', 'accept', assignee)).toBe('accepted');
  });

  test('RP-5 completing without an after photo or the occupant\'s confirmation is missing [afterPhoto, confirmation]', () => {
    const e = (() => {
      try {
        planTransition('repair', 'in_progress', 'complete', assignee, {});
      } catch (err) {
        return err;
      }
    })() as TransitionError;
    expect(e).toBeInstanceOf(TransitionError);
    expect(e.reason).toBe('missing');
    expect(e.missing).toEqual(['afterPhoto', 'confirmation']);
    expect(() => planTransition('repair', 'in_progress', 'complete', assignee, { afterPhoto: true })).toThrow(expect.objectContaining({ missing: ['confirmation'] }));
    expect(planTransition('repair', 'in_progress', 'complete', assignee, { afterPhoto: true, confirmation: true })).toMatchObject({ to: 'completed', def: { action: 'complete' } });
  });

  test('RP-4 missing inputs are listed together; a false input is missing', () => {
    expect(() => planTransition('repair', 'assigned', 'reassign', role('agent'), { assignee: true, reason: false }))
      .toThrow(expect.objectContaining({ reason: 'missing', missing: ['reason'] }));
    expect(() => planTransition('repair', 'accepted', 'reassign', role('agent'), {}))
      .toThrow(expect.objectContaining({ reason: 'missing', missing: ['assignee', 'reason'] }));
    expect(() => planTransition('repair', 'in_progress', 'wait_parts', assignee, {}))
      .toThrow(expect.objectContaining({ missing: ['expectedDate'] }));
  });

  test('RP-4 refusals are checked state before role before inputs', () => {
    // A technician asking for a state-illegal dispatch learns the state, not the role.
    expect(outcome('repair', 'closed', 'assign', tech, {})).toBe('!illegal_state');
    expect(outcome('repair', 'new', 'assign', tech, {})).toBe('!not_allowed');
    expect(outcome('repair', 'new', 'assign', role('agent'), {})).toBe('!missing');
  });

  test('RP-4 the reporter may cancel only before dispatch; the desk also after', () => {
    expect(outcome('repair', 'new', 'cancel', reporter)).toBe('cancelled');
    expect(outcome('repair', 'assigned', 'cancel', reporter)).toBe('!not_allowed');
    expect(outcome('repair', 'assigned', 'cancel', role('agent'))).toBe('cancelled');
    expect(outcome('repair', 'accepted', 'cancel', role('agent'))).toBe('!illegal_state');
  });

  test('RP-2 decline returns the item to the queue and needs a reason', () => {
    expect(outcome('repair', 'assigned', 'decline', assignee, {})).toBe('!missing');
    expect(outcome('repair', 'assigned', 'decline', assignee)).toBe('new');
  });

  test('CP-2 a complaint: the desk assigns the responsible person, who acknowledges and resolves with a resolution', () => {
    const responsible = { roles: ['supervisor'] as Role[], isAssignee: true, isReporter: false };
    expect(outcome('complaint', 'new', 'assign', role('agent'), {})).toBe('!missing');
    expect(outcome('complaint', 'new', 'assign', role('agent'))).toBe('assigned');
    expect(outcome('complaint', 'assigned', 'acknowledge', role('agent'))).toBe('!not_allowed');
    expect(outcome('complaint', 'assigned', 'acknowledge', responsible)).toBe('in_progress');
    expect(outcome('complaint', 'in_progress', 'resolve', responsible, {})).toBe('!missing');
    expect(outcome('complaint', 'in_progress', 'resolve', responsible)).toBe('resolved');
    expect(outcome('complaint', 'resolved', 'reopen', reporter)).toBe('in_progress');
    expect(outcome('complaint', 'resolved', 'close', reporter)).toBe('!not_allowed');
    expect(outcome('complaint', 'resolved', 'close', role('agent'))).toBe('closed');
    expect(outcome('complaint', 'in_progress', 'update', responsible)).toBe('!unknown_action');
  });

  test('CS-4 an inquiry is answered with a note by the desk', () => {
    expect(outcome('inquiry', 'new', 'answer', role('agent'), {})).toBe('!missing');
    expect(outcome('inquiry', 'new', 'answer', role('technician'))).toBe('!not_allowed');
    expect(outcome('inquiry', 'new', 'answer', role('agent'))).toBe('answered');
    expect(outcome('inquiry', 'answered', 'close', reporter)).toBe('closed');
  });
});

describe('RP-4 admin may do what the desk may', () => {
  test('RP-4 in every kind and state, admin may take every action an agent or supervisor may', () => {
    for (const kind of WORK_ITEM_KINDS) {
      for (const state of Object.keys(KINDS[kind].states)) {
        const admin = new Set(availableActions(kind, state, role('admin')).map((t) => t.action));
        for (const desk of ['agent', 'supervisor'] as const) {
          for (const t of availableActions(kind, state, role(desk))) expect(admin.has(t.action), `${kind} ${state} ${t.action}`).toBe(true);
        }
      }
    }
  });

  test('RP-4 the engine gives admin agent and supervisor rights even where a kind lists only those roles', () => {
    expect(actorMatches(['agent'], role('admin'))).toBe(true);
    expect(actorMatches(['supervisor'], role('admin'))).toBe(true);
    expect(actorMatches(['technician'], role('admin'))).toBe(false);
    expect(actorMatches(['assignee'], role('admin'))).toBe(false);
    expect(actorMatches(['agent'], role('supervisor'))).toBe(false);
  });
});

describe('RP-4 repair: transition × role table', () => {
  // Hand-written expectations, independent of KINDS: [action, from states, actors allowed].
  const DESK: TableActor[] = ['agent', 'supervisor', 'admin'];
  const TABLE: Array<[string, string[], TableActor[]]> = [
    ['assign', ['new'], DESK],
    ['accept', ['assigned'], ['assignee']],
    ['decline', ['assigned'], ['assignee']],
    ['reassign', ['assigned', 'accepted', 'on_the_way'], DESK],
    ['depart', ['accepted'], ['assignee']],
    ['arrive', ['accepted', 'on_the_way'], ['assignee']],
    ['start', ['on_site'], ['assignee']],
    ['wait_parts', ['in_progress'], ['assignee']],
    ['resume', ['waiting_parts'], ['assignee']],
    ['complete', ['in_progress', 'on_site'], ['assignee']],
    ['close', ['completed'], [...DESK, 'reporter']],
    ['reopen', ['completed'], [...DESK, 'reporter']],
    ['cancel', ['new'], [...DESK, 'reporter']],
    ['cancel', ['assigned'], DESK],
  ];
  const TARGET: Record<string, string> = {
    assign: 'assigned', accept: 'accepted', decline: 'new', reassign: 'assigned', depart: 'on_the_way', arrive: 'on_site',
    start: 'in_progress', wait_parts: 'waiting_parts', resume: 'in_progress', complete: 'completed', close: 'closed',
    reopen: 'new', cancel: 'cancelled',
  };
  const states = Object.keys(KINDS.repair.states);

  test('RP-4 the table names exactly the actions of the repair kind', () => {
    expect(new Set(TABLE.map(([a]) => a))).toEqual(new Set(actionsOf('repair')));
  });

  for (const action of Object.keys(TARGET)) {
    test(`RP-4 repair ${action}: every state × every role and relation`, () => {
      for (const state of states) {
        const row = TABLE.filter(([a, from]) => a === action && from.includes(state));
        const legal = row.length > 0;
        const allowed = new Set(row.flatMap(([, , by]) => by));
        for (const actor of ACTORS) {
          const expected = !legal ? '!illegal_state' : allowed.has(actor) ? TARGET[action] : '!not_allowed';
          expect(outcome('repair', state, action, whoIs(actor)), `${action} from ${state} by ${actor}`).toBe(expected);
          const offered = availableActions('repair', state, whoIs(actor)).some((t) => t.action === action);
          expect(offered, `can.${action} in ${state} for ${actor}`).toBe(legal && allowed.has(actor));
        }
      }
    });
  }
});

describe('RP-1 item numbers', () => {
  test('RP-1 BX-20261124-0007: prefix, Shanghai day, 4-digit sequence', () => {
    expect(itemNumber('BX', '2026-11-24', 7)).toBe('BX-20261124-0007');
    expect(itemNumber('TS', '2026-01-01', 1)).toBe('TS-20260101-0001');
    expect(itemNumber('ZX', '2026-12-31', 12345)).toBe('ZX-20261231-12345');
  });

  test('RP-1 bad parts are refused', () => {
    expect(() => itemNumber('BX', '2026-1-24', 1)).toThrow(RangeError);
    expect(() => itemNumber('bx', '2026-11-24', 1)).toThrow(RangeError);
    expect(() => itemNumber('BX', '2026-11-24', 0)).toThrow(RangeError);
    expect(() => itemNumber('BX', '2026-11-24', 1.5)).toThrow(RangeError);
  });
});
