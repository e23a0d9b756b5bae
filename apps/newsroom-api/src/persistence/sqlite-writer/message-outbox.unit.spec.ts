import { MessageOutbox, unbatch } from './message-outbox';

/** A scheduler the test runs by hand: what one turn of the loop would flush. */
function manualTurns() {
  const due: (() => void)[] = [];
  return {
    schedule: (flush: () => void) => due.push(flush),
    endTurn: () => due.splice(0).forEach((flush) => flush()),
    scheduled: () => due.length,
  };
}

describe('MessageOutbox (messages to the other thread, one post per turn)', () => {
  it('posts everything pushed in one turn as one batch, in order, and schedules once', () => {
    const posted: number[][] = [];
    const turns = manualTurns();
    const outbox = new MessageOutbox<number>((batch) => posted.push(batch), turns.schedule);
    outbox.push(1);
    outbox.push(2);
    outbox.push(3);
    expect(turns.scheduled()).toBe(1);
    expect(posted).toEqual([]);
    turns.endTurn();
    expect(posted).toEqual([[1, 2, 3]]);
    outbox.push(4);
    turns.endTurn();
    turns.endTurn();
    expect(posted).toEqual([[1, 2, 3], [4]]);
  });

  it('sends at once on flush() (closing), and a later scheduled flush posts nothing empty', () => {
    const posted: string[][] = [];
    const turns = manualTurns();
    const outbox = new MessageOutbox<string>((batch) => posted.push(batch), turns.schedule);
    outbox.push('append');
    outbox.push('close');
    outbox.flush();
    expect(posted).toEqual([['append', 'close']]);
    turns.endTurn();
    expect(posted).toEqual([['append', 'close']]);
  });

  it('unbatch hands each message of a batch to the handler, in order', () => {
    const seen: string[] = [];
    unbatch((m: string) => seen.push(m))(['appended', 'append-done', 'projected']);
    expect(seen).toEqual(['appended', 'append-done', 'projected']);
  });
});
