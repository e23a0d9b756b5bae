import { ClaimStream, SAT, SUN } from '../state/claim-stream.fixture';
import { toClaimReview } from './claim-review';

const publisher = { name: 'Desk', url: 'https://news.example/' };
const names = (id: string) => (id === 'protected-one' ? undefined : `Name of ${id}`);
const reuters = {
  outlet: 'Reuters',
  kind: 'wire' as const,
  url: 'https://reuters.example/a',
  reportedAt: '2017-10-15T12:00:00Z',
};

describe('ClaimReview export', () => {
  it('has nothing to publish without an active verdict', () => {
    const stream = new ClaimStream().affirms('s1', 'silo', SUN, true);
    expect(toClaimReview(stream.view(), stream.statements(), publisher, names)).toBeUndefined();
    const withdrawnStream = new ClaimStream()
      .affirms('s1', 'silo', SUN, true)
      .issue('v1', 'false', ['s1'])
      .withdraw('v1');
    expect(
      toClaimReview(withdrawnStream.view(), withdrawnStream.statements(), publisher, names),
    ).toBeUndefined();
  });

  it('publishes the verdict with its rating on the 1–5 scale and the statements it rests on', () => {
    const stream = new ClaimStream()
      .report('s1', 'alloush', 'affirms', SAT, { value: true, via: reuters })
      .report('s2', 'coalition', 'denies', SUN)
      .issue('v1', 'mostly-false', ['s1', 's2']);
    const review = toClaimReview(stream.view(), stream.statements(), publisher, names);
    expect(review).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'ClaimReview',
      claimReviewed: 'Foreign fighters are included in the deal',
      author: { '@type': 'Organization', name: 'Desk', url: 'https://news.example/' },
      reviewRating: { ratingValue: 2, bestRating: 5, worstRating: 1, alternateName: 'Mostly false' },
      itemReviewed: {
        '@type': 'Claim',
        appearance: [
          {
            author: { name: 'Name of alloush' },
            text: 'quote of s1',
            url: 'https://reuters.example/a',
            publisher: { name: 'Reuters' },
            datePublished: '2017-10-15',
          },
          { author: { name: 'Name of coalition' }, text: 'quote of s2' },
        ],
      },
    });
  });

  it('gives "unverifiable" no number on the scale', () => {
    const stream = new ClaimStream().affirms('s1', 'silo', SUN, true).issue('v1', 'unverifiable', ['s1']);
    expect(toClaimReview(stream.view(), stream.statements(), publisher, names)?.reviewRating).toEqual({
      '@type': 'Rating',
      alternateName: 'Unverifiable',
    });
  });

  it('never names an anonymous, background or protected source', () => {
    const stream = new ClaimStream()
      .report('s1', 'local', 'affirms', SAT, { value: true, attribution: 'anonymous' })
      .report('s2', 'official', 'affirms', SAT, { value: true, attribution: 'background' })
      .report('s3', 'protected-one', 'affirms', SAT, { value: true })
      .issue('v1', 'true', ['s1', 's2', 's3']);
    const review = JSON.stringify(toClaimReview(stream.view(), stream.statements(), publisher, names));
    expect(review).not.toContain('Name of local');
    expect(review).not.toContain('Name of official');
    expect(review.match(/Unnamed source/g)).toHaveLength(3);
  });
});

describe('ClaimReview export of relayed statements (issue 10)', () => {
  it('names the origin as the author and the relayer as the channel it came through', () => {
    const stream = new ClaimStream()
      .affirms('finding', 'prosecutor', SAT, true)
      .report('relay', 'usa', 'affirms', SUN, {
        value: true,
        via: reuters,
        basis: { statementId: 'finding' },
      })
      .report('echo', 'outlet', 'affirms', SUN, { value: true, basis: { sourceId: 'prosecutor' } })
      .issue('v1', 'true', ['relay', 'echo']);
    const review = toClaimReview(stream.view(), stream.statements(), publisher, names, (id) =>
      id === 'relay' ? 'prosecutor' : undefined,
    );
    expect(review?.itemReviewed).toMatchObject({
      appearance: [
        {
          author: { name: 'Name of prosecutor' },
          publisher: { name: 'Name of usa' },
          provider: { name: 'Reuters' },
          url: 'https://reuters.example/a',
        },
        { author: { name: 'Name of prosecutor' }, publisher: { name: 'Name of outlet' } },
      ],
    });
  });

  it('never names a protected origin', () => {
    const stream = new ClaimStream()
      .report('relay', 'usa', 'affirms', SUN, { value: true, basis: { sourceId: 'protected-one' } })
      .issue('v1', 'true', ['relay']);
    const review = toClaimReview(stream.view(), stream.statements(), publisher, names);
    expect(review?.itemReviewed).toMatchObject({
      appearance: [
        { author: { '@type': 'Person', name: 'Unnamed source' }, publisher: { name: 'Name of usa' } },
      ],
    });
  });
});
