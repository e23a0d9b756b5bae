import { ReadModelClaimStories } from './claim-stories';
import { FeedHub } from './feed-hub';
import { FeedsController } from './feeds.controller';

/** The SSE feeds' controller and providers, for AppModule. */
export const feedControllers = [FeedsController];
export const feedProviders = [FeedHub, ReadModelClaimStories];
