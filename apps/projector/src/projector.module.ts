import { type DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { PersistenceModule } from '../../newsroom-api/src/persistence/persistence.module';
import { ProjectionDaemon } from '../../newsroom-api/src/persistence/projection-daemon';

/** The API's persistence and projection daemon, without HTTP: a process that only projects. */
@Module({})
export class ProjectorModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProjectorModule,
      global: true,
      imports: [PersistenceModule],
      providers: [{ provide: APP_CONFIG, useValue: config }, ProjectionDaemon],
      exports: [APP_CONFIG],
    };
  }
}
