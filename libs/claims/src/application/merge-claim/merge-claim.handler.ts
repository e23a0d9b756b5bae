import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { MergeTarget } from '../../domain/claim.commands';
import { type ClaimState, claimDecider } from '../../domain/claim.decider';
import { type ClaimEvent, claimStreamId } from '../../domain/claim.events';
import { foldClaimRecord } from '../../domain/state/claim-record';
import { toAbsorbed } from '../../domain/state/statement-record';
import { fail } from '../../domain/value-rules';
import type { CommandContext, WriteResult } from '../shared/command-context';
import { DecisionRunner } from '../shared/decision-runner';
import { EventCodec } from '../shared/event-codec';
import { MergeClaimCommand } from './merge-claim.command';

/**
 * A merge touches two streams, and the store appends to one atomically (decision 0020): first
 * ClaimsMerged closes the merged claim (nothing more can be written to it), then ClaimAbsorbed
 * copies its statements, as they stood when it closed, into the surviving claim. Until the second
 * append the surviving claim simply does not count them yet: never twice, never half. A crash
 * between the two leaves the merged claim closed and pointing at the surviving one; the same
 * request again finds it so and appends only the second event.
 */
@CommandHandler(MergeClaimCommand)
export class MergeClaimHandler implements ICommandHandler<MergeClaimCommand> {
  constructor(
    private readonly runner: DecisionRunner,
    private readonly codec: EventCodec,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ claimId, input, context }: MergeClaimCommand): Promise<WriteResult> {
    const { intoClaimId, reason } = input;
    const mergedStream = claimStreamId(claimId);
    const { state: before } = await this.runner.load(mergedStream, claimDecider);
    const resumed = before.opened && before.mergedInto !== null && before.mergedInto === intoClaimId;
    if (!resumed) {
      const { state: into } =
        typeof intoClaimId === 'string' && intoClaimId !== claimId
          ? await this.runner.load(claimStreamId(intoClaimId), claimDecider)
          : { state: undefined };
      await this.runner.run(
        mergedStream,
        claimDecider,
        { type: 'MergeClaim', data: { claimId, intoClaimId, reason }, into: mergeTarget(into) },
        context,
      );
    }
    // The merged stream is closed now: what it holds is final, and is what the surviving claim takes.
    const stored = await this.store.readStream(mergedStream);
    const events = stored.map((event) => ({
      event: this.codec.decode(event) as ClaimEvent,
      position: event.position.toString(),
      recordedAt: event.metadata.recordedAt,
      streamVersion: event.streamVersion,
    }));
    const record = foldClaimRecord(events);
    const merger = events.find((e) => e.event.type === 'ClaimsMerged')?.event;
    if (record === undefined || merger?.type !== 'ClaimsMerged')
      fail('CLAIM_NOT_FOUND', `claim ${claimId} does not exist`, 'claimId');
    const { state: survivor } = await this.runner.load(claimStreamId(intoClaimId), claimDecider);
    if (resumed && survivor.opened && survivor.merged.includes(claimId))
      fail('CLAIM_MERGED', `claim ${claimId} was already merged into claim ${intoClaimId}`, 'claimId');
    // The first step's If-Match was for the merged claim; the second append is ours to order.
    const { expectedVersion: _ignored, ...rest } = context;
    const secondStep: CommandContext = rest;
    const absorbed = await this.runner.run(
      claimStreamId(intoClaimId),
      claimDecider,
      {
        type: 'AbsorbClaim',
        data: {
          claimId: intoClaimId,
          mergedClaimId: claimId,
          // On a resumed merge the reason is the one recorded when the claim closed.
          reason: merger.data.reason,
          statements: record.statements.map(toAbsorbed),
        },
      },
      secondStep,
    );
    // The merged claim's version (its ETag), and the later position: a read that waits for it sees both.
    return { id: claimId, streamVersion: stored.at(-1)!.streamVersion, position: absorbed.position };
  }
}

function mergeTarget(state: ClaimState | undefined): MergeTarget | undefined {
  if (state === undefined || !state.opened) return undefined;
  return {
    claimId: state.claimId,
    storyId: state.storyId,
    valueKind: state.valueKind,
    ...(state.unit !== undefined && { unit: state.unit }),
    varies: state.varies,
    mergedInto: state.mergedInto,
    statementIds: [...state.statements.keys()],
  };
}
