import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { CONFIG, LOGGER, METRICS } from '@apitopmix/platform/nest';
import { MediaJobsConfig } from './config/media-jobs.config';
import { ImagesModule } from './images/images.module';
import { JobsModule } from './jobs/jobs.module';

@Module({})
export class AppModule {
  static register(config: MediaJobsConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [ImagesModule.register(config, logger, metrics), JobsModule.register(config, logger, metrics)],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: metrics },
      ],
    };
  }
}
