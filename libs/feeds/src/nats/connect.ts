import type { ConnectionOptions, NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';

/**
 * `connect` of @nats-io/transport-node, typed. Its declarations re-export @nats-io/nats-core
 * through the `/internal` subpath, which this repository's `moduleResolution: node10` cannot
 * follow, so its types arrive as `any`; the same types come from @nats-io/nats-core itself.
 */
export const connectNats = connect as unknown as (options: ConnectionOptions) => Promise<NatsConnection>;
