import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER } from '@apitopmix/platform/nest';
import { EmbeddingsConfig } from './config/embeddings.config';

@Module({})
export class AppModule {
  static register(config: EmbeddingsConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
      ],
    };
  }
}
