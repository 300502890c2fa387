import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { CONFIG, LOGGER, METRICS } from '@apitopmix/platform/nest';
import { EmbeddingsConfig } from './config/embeddings.config';

@Module({})
export class AppModule {
  static register(config: EmbeddingsConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: AppModule,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: metrics },
      ],
    };
  }
}
