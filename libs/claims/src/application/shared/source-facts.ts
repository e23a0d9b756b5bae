import { Injectable } from '@nestjs/common';
import { sourceDecider } from '../../domain/source.decider';
import type { AffiliationLookup } from '../../domain/source.commands';
import { sourceStreamId } from '../../domain/source.events';
import { DecisionRunner } from './decision-runner';

/** Facts about other sources that a decision needs, looked up before the pure decider runs. */
@Injectable()
export class SourceFacts {
  constructor(private readonly runner: DecisionRunner) {}

  async isRegistered(sourceId: string): Promise<boolean> {
    const { state } = await this.runner.load(sourceStreamId(sourceId), sourceDecider);
    return state.registered;
  }

  async affiliation(affiliationId: string | null | undefined): Promise<AffiliationLookup | undefined> {
    if (affiliationId === undefined || affiliationId === null) return undefined;
    const { state } = await this.runner.load(sourceStreamId(affiliationId), sourceDecider);
    return { affiliationId, kind: state.registered ? state.fields.kind : null };
  }
}
