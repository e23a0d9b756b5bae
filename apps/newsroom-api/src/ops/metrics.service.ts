import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { PROJECTION_RUNNER, type ProjectionRunner } from '@app/projections';

/** Prometheus metrics: process defaults, HTTP traffic, the log's head and the projection's lag. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly appended = new Counter({
    // onAppended fires once per group-committed batch, and on PostgreSQL for other replicas' too.
    name: 'newsroom_log_commit_signals_total',
    help: "Committed append batches this process was told of (its own group commits, and other replicas' on PostgreSQL)",
    registers: [this.registry],
  });

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
  ) {
    collectDefaultMetrics({ register: this.registry });
    store.onAppended(() => this.appended.inc());
    const { store: log, projections: runner } = this;
    // Read at scrape time, so the figures are never stale.
    new Gauge({
      name: 'newsroom_log_head_position',
      help: 'Last committed global position',
      registers: [this.registry],
      async collect() {
        this.set(Number(await log.headPosition()));
      },
    });
    new Gauge({
      name: 'newsroom_projection_lag_events',
      help: 'Events committed but not yet in the read models',
      registers: [this.registry],
      async collect() {
        this.set(Number((await log.headPosition()) - (await runner.projectedPosition())));
      },
    });
  }
}
