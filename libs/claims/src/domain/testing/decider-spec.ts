/**
 * Given events / when command / then events (or a failure), for any pure decider:
 *
 *   const { given } = deciderSpec(claimDecider);
 *   given([opened]).when(reportStatement).then([statementReported]);
 *   given([]).when(reportStatement).thenFails('CLAIM_NOT_FOUND', 'claimId');
 *
 * It also checks what every decision must honour: the command and past events are not mutated
 * (they are frozen), the new events survive a JSON round trip unchanged (they are stored as JSON),
 * and evolve accepts them.
 */
import { deepFreeze } from '../deep-freeze';
import { DomainError, type DomainErrorCode } from '../domain-error';

export interface SpecDecider<C, S, E> {
  initialState(): S;
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
}

export interface When<E> {
  /** The decision emits exactly these events. */
  then(expected: E[]): void;
  /** The decision throws a DomainError with this code (and this field, when given). */
  thenFails(code: DomainErrorCode, field?: string): void;
}

export interface Given<C, S, E> {
  when(command: C): When<E>;
  /** The state after the given events, for assertions on evolve itself. */
  state(): S;
}

export function deciderSpec<C, S, E>(decider: SpecDecider<C, S, E>) {
  const fold = (state: S, events: readonly E[]): S =>
    events.reduce((s, e) => deepFreeze(decider.evolve(s, e)), state);

  function given(events: readonly E[]): Given<C, S, E> {
    const state = (): S => fold(deepFreeze(decider.initialState()), deepFreeze(structuredClone(events)));
    return {
      state,
      when(command: C): When<E> {
        const decide = (): E[] => decider.decide(deepFreeze(structuredClone(command)), state());
        return {
          then(expected: E[]): void {
            const emitted = decide();
            expect(emitted).toStrictEqual(expected);
            expect(JSON.parse(JSON.stringify(emitted))).toStrictEqual(emitted);
            expect(() => fold(state(), emitted)).not.toThrow();
          },
          thenFails(code: DomainErrorCode, field?: string): void {
            let thrown: unknown;
            try {
              decide();
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(DomainError);
            const error = thrown as DomainError;
            expect({ code: error.code, field: error.field }).toEqual({
              code,
              field: field === undefined ? error.field : field,
            });
          },
        };
      },
    };
  }

  return { given };
}
