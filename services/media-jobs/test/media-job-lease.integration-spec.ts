// The job table's lease and outbox against the real PostgreSQL (apitopmix_test, migrated). Every repository here
// works on a queue of its own (as a deployment with its own topic prefix does), so jobs of other runs on the same
// database are never taken, and this run's jobs are removed afterwards.
import { randomUUID } from 'node:crypto';
import { ModelCatalog } from '@apitopmix/catalog';
import { mediaJobUpdateSchema } from '@apitopmix/contracts';
import { createPrismaClient, PrismaClient } from '@apitopmix/platform/prisma';
import { MediaJobRepository, NewJob } from '../src/jobs/media-job.repository';

const DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgresql://apitopmix:apitopmix@127.0.0.1:55432/apitopmix_test';

describe('media job leases (integration)', () => {
  let prisma: PrismaClient;
  let other: PrismaClient;
  const queue = `it.${randomUUID().slice(0, 8)}.`;
  const prefix = `task_it${randomUUID().slice(0, 8)}_`;
  const repository = (client: PrismaClient) => new MediaJobRepository(client, new ModelCatalog(), queue);
  const accountId = randomUUID();
  let n = 0;

  const newJob = (over: Partial<NewJob> = {}): NewJob => ({
    id: `${prefix}${n++}`,
    kind: 'VIDEO',
    accountId,
    apiKeyId: randomUUID(),
    requestId: `req_${randomUUID()}`,
    model: 'grok-video-3',
    provider: 'xai-video',
    upstreamModel: 'grok-imagine-video',
    request: { model: 'grok-video-3', prompt: 'x', duration: 8, resolution: '480p', aspect_ratio: '16:9' },
    ...over,
  });

  beforeAll(() => {
    prisma = createPrismaClient(DATABASE_URL, { poolMax: 8 });
    other = createPrismaClient(DATABASE_URL, { poolMax: 8 });
  });

  afterAll(async () => {
    await prisma.$executeRawUnsafe(`DELETE FROM media_jobs WHERE id LIKE '${prefix}%'`);
    await prisma.$disconnect();
    await other.$disconnect();
  });

  const events = (jobId: string) =>
    prisma.$queryRawUnsafe<{ version: number; payload: unknown }[]>('SELECT version, payload FROM media_job_events WHERE job_id = $1 ORDER BY version', jobId);

  it('stores a job with its first event (queued, version 1)', async () => {
    const repo = repository(prisma);
    const job = await repo.create(newJob());
    expect(job).toMatchObject({ status: 'QUEUED', version: 1, progress: 0, upstreamModel: 'grok-imagine-video', leaseOwner: null });
    const [event] = await events(job.id);
    expect(mediaJobUpdateSchema.parse(event.payload)).toMatchObject({ jobId: job.id, version: 1, status: 'queued', kind: 'video', requestId: job.requestId });
    expect(await repo.findForAccount(job.id, randomUUID())).toBeUndefined();
    expect((await repo.findForAccount(job.id, accountId))?.id).toBe(job.id);
    // Another deployment sharing the database neither sees nor claims it.
    const elsewhere = new MediaJobRepository(prisma, new ModelCatalog(), `${queue}other.`);
    expect(await elsewhere.findForAccount(job.id, accountId)).toBeUndefined();
    expect((await elsewhere.claim('other/1', 100, 60_000)).map((j) => j.id)).not.toContain(job.id);
  });

  it('two workers claiming at once never own the same job', async () => {
    const a = repository(prisma);
    const b = repository(other);
    const ids = new Set<string>();
    for (let i = 0; i < 30; i++) ids.add((await a.create(newJob())).id);
    // Many concurrent claims from two connection pools, each asking for more than its share.
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).claim(`w${i}/1`, 7, 60_000)));
    const owned = claims.flat().map((job) => job.id);
    expect(new Set(owned).size).toBe(owned.length);
    for (const id of ids) expect(owned).toContain(id);
    // Every lease is current: nobody can claim any of them now.
    expect(await a.claim('late/1', 100, 60_000)).toEqual([]);
  });

  it('an expired lease is taken over, and the old owner can no longer write', async () => {
    const repo = repository(prisma);
    const created = await repo.create(newJob());
    const [mine] = (await repo.claim('crashed/1', 100, 200)).filter((job) => job.id === created.id);
    expect(mine.leaseOwner).toBe('crashed/1');
    expect(await repo.claim('eager/1', 100, 60_000)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [taken] = (await repo.claim('heir/1', 100, 60_000)).filter((job) => job.id === created.id);
    expect(taken.leaseOwner).toBe('heir/1');
    // The crashed worker wakes up: every write it tries is refused.
    expect(await repo.renew(mine, 60_000, 0)).toBe(false);
    expect(await repo.markSubmitting(mine, 60_000)).toBe(false);
    expect(await repo.progressed(mine, 50, 60_000, 0)).toBe(false);
    expect(await repo.failed(mine, 'x')).toBe(false);
    expect((await repo.find(created.id))?.status).toBe('QUEUED');
  });

  it('renewal keeps the lease: a renewed job is not claimable', async () => {
    const repo = repository(prisma);
    const created = await repo.create(newJob());
    const [job] = (await repo.claim('w/1', 100, 300)).filter((j) => j.id === created.id);
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await repo.renew(job, 300, 0)).toBe(true);
      expect((await repo.claim('thief/1', 100, 60_000)).map((j) => j.id)).not.toContain(job.id);
    }
  });

  it('a submission is marked once: a job marked but without a task id cannot be marked again', async () => {
    const repo = repository(prisma);
    const created = await repo.create(newJob());
    const [job] = (await repo.claim('w/1', 100, 200)).filter((j) => j.id === created.id);
    expect(await repo.markSubmitting(job, 200)).toBe(true);
    // The owner dies mid-call; the heir sees the mark and must not submit.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [heir] = (await repo.claim('heir/1', 100, 60_000)).filter((j) => j.id === created.id);
    expect(heir.submitStartedAt).toBeInstanceOf(Date);
    expect(heir.upstreamTaskId).toBeNull();
    expect(await repo.markSubmitting(heir, 60_000)).toBe(false);
  });

  it('walks QUEUED → IN_PROGRESS → SUCCEEDED with one event per change, and a finished job never changes again', async () => {
    const repo = repository(prisma);
    const created = await repo.create(newJob());
    const [job] = (await repo.claim('w/1', 100, 60_000)).filter((j) => j.id === created.id);
    expect(await repo.markSubmitting(job, 60_000)).toBe(true);
    expect(await repo.submitted(job, 'up-1', 60_000, 0)).toBe(true);
    expect(await repo.submitted(job, 'up-2', 60_000, 0)).toBe(false);
    expect(await repo.progressed(job, 40, 60_000, 0)).toBe(true);
    expect(await repo.succeeded(job, { output: 'https://v/x.mp4', duration: 8 }, { unit: 'second', quantity: 8 })).toBe(true);
    const stored = await repo.find(job.id);
    expect(stored).toMatchObject({ status: 'SUCCEEDED', progress: 100, upstreamTaskId: 'up-1', leaseOwner: null, version: 4 });
    expect(stored?.finishedAt).toBeInstanceOf(Date);

    // Terminal: neither the owner's stale token nor a new claim can change it.
    expect(await repo.failed(job, 'too late')).toBe(false);
    expect(await repo.progressed(job, 10, 60_000, 0)).toBe(false);
    expect((await repo.claim('w/2', 100, 60_000)).map((j) => j.id)).not.toContain(job.id);
    expect(await repo.failed({ ...job, leaseOwner: 'w/2' }, 'x')).toBe(false);

    const list = (await events(job.id)).map((e) => mediaJobUpdateSchema.parse(e.payload));
    expect(list.map((e) => [e.version, e.status, e.progress])).toEqual([
      [1, 'queued', 0],
      [2, 'in_progress', 0],
      [3, 'in_progress', 40],
      [4, 'succeeded', 100],
    ]);
    expect(list[3].usage).toEqual({ unit: 'second', quantity: 8 });
    expect(new Set(list.map((e) => e.eventId)).size).toBe(4);
  });

  it('a clean shutdown gives its leases back at once', async () => {
    const repo = repository(prisma);
    const created = await repo.create(newJob());
    const [job] = (await repo.claim('worker-x:1/ab12.7', 100, 60_000)).filter((j) => j.id === created.id);
    expect(job).toBeDefined();
    // Another process of the same worker id keeps its own.
    expect(await repo.releaseAll('worker-x:1/cd34.')).toBe(0);
    expect(await repo.releaseAll('worker-x:1/ab12.')).toBe(1);
    expect((await repo.claim('worker-y/1', 100, 60_000)).map((j) => j.id)).toContain(created.id);
  });
});
