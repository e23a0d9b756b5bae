/**
 * A stored stream that the write side should never have produced (an amendment before a
 * registration, a correction of an unknown statement). The read side refuses to guess: a
 * read model that silently diverges from history is worse, for an auditor, than a loud failure.
 */
export class StreamInvariantError extends Error {
  override readonly name = 'StreamInvariantError';
}
