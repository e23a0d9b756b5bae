import { Injectable } from '@nestjs/common';
import { sourceDecider } from '../../domain/source.decider';
import type { AffiliationLookup } from '../../domain/source.commands';
import { sourceStreamId } from '../../domain/source.events';
import { DecisionRunner } from './decision-runner';

/** Longer than any real chain of command; a guard against a corrupt one, not a rule. */
const MAX_CHAIN = 32;
const MAX_REMEMBERED = 100_000;

/** Facts about other sources that a decision needs, looked up before the pure decider runs. */
@Injectable()
export class SourceFacts {
  /**
   * Sources found registered. Sources are never deleted, so a yes stays true: every later
   * statement on such a source skips reading its stream (a store round trip per POST on
   * PostgreSQL). Only a no, or a source not seen yet, is looked up.
   */
  private readonly registered = new Set<string>();

  constructor(private readonly runner: DecisionRunner) {}

  async isRegistered(sourceId: string): Promise<boolean> {
    if (this.registered.has(sourceId)) return true;
    const { state } = await this.runner.load(sourceStreamId(sourceId), sourceDecider);
    if (state.registered) {
      // Bounded memory whatever the number of sources: start again past the cap.
      if (this.registered.size >= MAX_REMEMBERED) this.registered.clear();
      this.registered.add(sourceId);
    }
    return state.registered;
  }

  /**
   * The affiliation's kind and the chain above it, so the decider can refuse a cycle. A chain is
   * a few levels (a consulate, a ministry, a state); the bound only stops a corrupt one.
   */
  async affiliation(affiliationId: string | null | undefined): Promise<AffiliationLookup | undefined> {
    if (affiliationId === undefined || affiliationId === null) return undefined;
    const { state } = await this.runner.load(sourceStreamId(affiliationId), sourceDecider);
    if (!state.registered) return { affiliationId, kind: null };
    const ancestors: string[] = [];
    let next = state.fields.affiliationId;
    while (next !== undefined && !ancestors.includes(next) && ancestors.length < MAX_CHAIN) {
      ancestors.push(next);
      const above = await this.runner.load(sourceStreamId(next), sourceDecider);
      next = above.state.registered ? above.state.fields.affiliationId : undefined;
    }
    return { affiliationId, kind: state.fields.kind, ancestors };
  }
}
