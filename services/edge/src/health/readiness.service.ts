import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Client, credentials, makeGenericClientConstructor } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import type { PrismaClient } from '@apitopmix/platform/prisma';
import { CONFIG } from '@apitopmix/platform/nest';
import { EdgeConfig } from '../config/edge.config';
import { PRISMA } from '../auth/api-key.repository';

const HealthClient = makeGenericClientConstructor(healthService, 'Health');
type HealthCheck = (
  request: { service: string },
  options: { deadline: number },
  callback: (error: Error | null, response?: { status: string | number }) => void,
) => void;

export interface Readiness {
  ready: boolean;
  checks: Record<string, 'ok' | string>;
}

/**
 * Readiness: the edge can serve when Postgres answers (key lookups) and its hot-path peers report SERVING over
 * the standard gRPC health protocol. Answers are reused for a second so probes cost nothing.
 */
@Injectable()
export class ReadinessService implements OnModuleDestroy {
  private readonly peers: Record<string, Client>;
  private cached?: { at: number; value: Readiness };
  private draining = false;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) config: EdgeConfig,
  ) {
    this.peers = {
      chat: new HealthClient(config.CHAT_GRPC_URL, credentials.createInsecure()),
      'rate-limit': new HealthClient(config.RATE_LIMIT_GRPC_URL, credentials.createInsecure()),
    };
  }

  /** From now on readiness fails, so load balancers stop sending new work. */
  drain(): void {
    this.draining = true;
  }

  async check(): Promise<Readiness> {
    if (this.draining) return { ready: false, checks: { edge: 'shutting down' } };
    if (this.cached && Date.now() - this.cached.at < 1_000) return this.cached.value;
    const entries = await Promise.all([
      this.prisma.$queryRaw`SELECT 1`.then(
        () => ['postgres', 'ok'] as const,
        (e: Error) => ['postgres', e.message.split('\n')[0]] as const,
      ),
      ...Object.entries(this.peers).map(([name, client]) => this.peerStatus(client).then((status) => [name, status] as const)),
    ]);
    const checks = Object.fromEntries(entries);
    const value = { ready: Object.values(checks).every((v) => v === 'ok'), checks };
    this.cached = { at: Date.now(), value };
    return value;
  }

  private peerStatus(client: Client): Promise<string> {
    return new Promise((resolve) => {
      (client as unknown as { check: HealthCheck }).check({ service: '' }, { deadline: Date.now() + 500 }, (error, response) => {
        if (error) resolve(error.message);
        else resolve(response?.status === 'SERVING' || response?.status === 1 ? 'ok' : `status ${String(response?.status)}`);
      });
    });
  }

  onModuleDestroy(): void {
    for (const client of Object.values(this.peers)) client.close();
  }
}
