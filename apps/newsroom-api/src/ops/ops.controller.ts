import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { PROJECTION_RUNNER, type ProjectionRunner } from '@app/projections';
import { Responds } from '../http/openapi';
import { type HealthAnswer, health } from '../http/responses/ops.responses';
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
  @Responds(
    {
      operationId: 'getHealth',
      summary: 'Reachability, and how far the read models are behind the log',
      secured: false,
    },
    [{ status: 200, description: 'The store answers; `lag` events are not yet projected', schema: health }],
    [],
  )
  async health(): Promise<HealthAnswer> {
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
  @Responds(
    { operationId: 'getMetrics', summary: 'Prometheus metrics (text exposition format)', secured: false },
    [
      {
        status: 200,
        description: 'Prometheus text format 0.0.4',
        content: { 'text/plain': { schema: { type: 'string' } } },
      },
    ],
    [],
  )
  @Header('content-type', 'text/plain; version=0.0.4')
  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
