import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { PROJECTION_RUNNER, type ProjectionRunner } from '@app/projections';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Controller()
export class OpsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
    private readonly metrics: MetricsService,
  ) {}

  /** Public: reachability of the store and how far the read models are behind the log. */
  @Get('health')
  async health() {
    // The shared checkpoint, read afresh: on PostgreSQL another replica may be the projector.
    const [head, projected] = await Promise.all([
      this.store.headPosition(),
      this.projections.projectedPosition(),
    ]);
    return {
      status: 'ok',
      head: head.toString(),
      projected: projected.toString(),
      lag: (head - projected).toString(),
    };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
