import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ReadinessService } from './readiness.service';

/** Liveness (/healthz: the process answers) and readiness (/readyz: it can serve traffic). No auth. */
@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get('/healthz')
  healthz(@Res() reply: FastifyReply): void {
    reply.header('content-type', 'application/json').send('{"status":"ok"}');
  }

  @Get('/readyz')
  async readyz(@Res() reply: FastifyReply): Promise<void> {
    const { ready, checks } = await this.readiness.check();
    reply
      .status(ready ? 200 : 503)
      .header('content-type', 'application/json')
      .send(JSON.stringify({ status: ready ? 'ready' : 'not ready', checks }));
  }
}
