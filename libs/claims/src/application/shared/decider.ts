/** The shape every pure decider in the domain has. */
export interface Decider<C, S, E> {
  initialState(): S;
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
}

/** A domain event as the domain sees it: a literal `type` and its data. */
export interface DomainEvent {
  type: string;
  data: unknown;
}
