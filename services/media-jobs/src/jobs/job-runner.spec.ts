import { pino } from 'pino';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { UpstreamTaskState } from '@apitopmix/providers/core';
import { classifySubmitFailure, FAIL_REASONS, JobRunner, RunnerSettings } from './job-runner';
import { OwnedJob } from './media-job.repository';
import { JobOutcome, MediaUpstream, MediaUpstreamSource } from './media-upstreams';

const settings: RunnerSettings = { pollIntervalMs: 100, pollMaxIntervalMs: 1_000, leaseMs: 10_000, deadlineMs: 60_000, submitMaxAttempts: 3 };

function job(over: Partial<OwnedJob> = {}): OwnedJob {
  return {
    id: 'task_1',
    kind: 'VIDEO',
    accountId: 'a',
    apiKeyId: 'k',
    requestId: 'req_1',
    model: 'grok-video-3',
    provider: 'xai-video',
    upstreamModel: 'grok-imagine-video',
    status: 'QUEUED',
    progress: 0,
    request: { duration: 8 },
    upstreamTaskId: null,
    result: null,
    failReason: null,
    leaseOwner: 'w/1',
    leaseExpiresAt: null,
    nextRunAt: new Date(0),
    attempts: 0,
    version: 1,
    submitStartedAt: null,
    createdAt: new Date(0),
    finishedAt: null,
    ...over,
  };
}

type Call = [string, ...unknown[]];

/** A repository that records every write and answers "still yours" unless told the lease is lost. */
function fakeRepo(options: { loseAfter?: number } = {}) {
  const calls: Call[] = [];
  let writes = 0;
  const ok = () => options.loseAfter === undefined || ++writes <= options.loseAfter;
  return {
    calls,
    renew: jest.fn(async (_j: OwnedJob, _lease: number, delay: number) => (calls.push(['renew', delay]), ok())),
    markSubmitting: jest.fn(async (j: OwnedJob) => {
      calls.push(['markSubmitting']);
      if (!ok()) return false;
      j.submitStartedAt = new Date();
      return true;
    }),
    submitNotMade: jest.fn(async (j: OwnedJob) => {
      calls.push(['submitNotMade']);
      if (!ok()) return false;
      j.submitStartedAt = null;
      j.attempts += 1;
      return true;
    }),
    submitted: jest.fn(async (j: OwnedJob, taskId: string) => {
      calls.push(['submitted', taskId]);
      if (!ok()) return false;
      Object.assign(j, { upstreamTaskId: taskId, status: 'IN_PROGRESS' });
      return true;
    }),
    progressed: jest.fn(async (j: OwnedJob, progress: number) => {
      calls.push(['progressed', progress]);
      if (!ok()) return false;
      Object.assign(j, { progress, status: 'IN_PROGRESS' });
      return true;
    }),
    succeeded: jest.fn(async (_j: OwnedJob, result: unknown, usage: unknown) => (calls.push(['succeeded', result, usage]), ok())),
    failed: jest.fn(async (_j: OwnedJob, reason: string) => (calls.push(['failed', reason]), ok())),
  };
}

/** An upstream that answers submissions and polls from scripts (an Error is thrown). */
function fakeUpstream(submits: (string | Error)[], polls: (UpstreamTaskState<JobOutcome> | Error)[]) {
  const upstream: MediaUpstream = {
    submit: jest.fn(async () => {
      const next = submits.shift();
      if (next === undefined) throw new Error('unexpected submit');
      if (next instanceof Error) throw next;
      return next;
    }),
    fetch: jest.fn(async () => {
      const next = polls.shift();
      if (next === undefined) throw new Error('unexpected poll');
      if (next instanceof Error) throw next;
      return next;
    }),
  };
  const source: MediaUpstreamSource = { configured: () => true, forJob: () => upstream };
  return { upstream, source };
}

function clock(start = 1_000) {
  let now = start;
  return { now: () => now, sleep: async (ms: number) => void (now += ms), random: () => 1, advance: (ms: number) => (now += ms) };
}

const logger = pino({ enabled: false });
const done: JobOutcome = { result: { output: 'https://v/x.mp4', duration: 8 }, usage: { unit: 'second', quantity: 8 } };
const running = (progress?: number): UpstreamTaskState<JobOutcome> => ({ status: 'running', progress });
const status = (code: number) => new GatewayError(ErrorCode.UpstreamUnavailable, `HTTP ${code}`, { cause: { upstreamStatus: code } });

describe('JobRunner', () => {
  it('submits once, records the task, polls with progress and backoff, then succeeds with its usage', async () => {
    const repo = fakeRepo();
    const { upstream, source } = fakeUpstream(['up-1'], [running(), running(30), running(30), running(30), { status: 'succeeded', result: done }]);
    const changed = jest.fn();
    const end = await new JobRunner(repo, source, settings, clock(), logger, changed).run(job(), new AbortController().signal);
    expect(end).toBe('succeeded');
    expect(upstream.submit).toHaveBeenCalledTimes(1);
    expect(repo.calls).toEqual([
      ['markSubmitting'],
      ['submitted', 'up-1'],
      // The first poll brings nothing new (IN_PROGRESS already, no progress given): the wait grows.
      ['renew', 200],
      ['progressed', 30],
      ['renew', 200],
      ['renew', 400],
      ['succeeded', done.result, done.usage],
    ]);
    // submitted, progressed, succeeded: three state changes announced.
    expect(changed).toHaveBeenCalledTimes(3);
  });

  it('never submits a job taken over mid-submission: it fails, not charged', async () => {
    const repo = fakeRepo();
    const { upstream, source } = fakeUpstream([], []);
    const end = await new JobRunner(repo, source, settings, clock(), logger).run(job({ submitStartedAt: new Date() }), new AbortController().signal);
    expect(end).toBe('failed');
    expect(upstream.submit).not.toHaveBeenCalled();
    expect(repo.calls).toEqual([['failed', FAIL_REASONS.unconfirmed]]);
  });

  it('a taken-over job that was submitted is polled, never submitted again', async () => {
    const repo = fakeRepo();
    const { upstream, source } = fakeUpstream([], [{ status: 'succeeded', result: done }]);
    const end = await new JobRunner(repo, source, settings, clock(), logger).run(
      job({ status: 'IN_PROGRESS', upstreamTaskId: 'up-7', submitStartedAt: new Date() }),
      new AbortController().signal,
    );
    expect(end).toBe('succeeded');
    expect(upstream.submit).not.toHaveBeenCalled();
    expect(upstream.fetch).toHaveBeenCalledWith(expect.anything(), 'up-7', expect.anything());
  });

  it('a submission that timed out may have created the task: the job fails rather than risk a second one', async () => {
    const repo = fakeRepo();
    const timeout = new GatewayError(ErrorCode.UpstreamTimeout, 'The upstream provider (xai-video) did not answer in time.');
    const { upstream, source } = fakeUpstream([timeout], []);
    expect(await new JobRunner(repo, source, settings, clock(), logger).run(job(), new AbortController().signal)).toBe('failed');
    expect(upstream.submit).toHaveBeenCalledTimes(1);
    expect(repo.calls).toEqual([['markSubmitting'], ['failed', FAIL_REASONS.unconfirmed]]);
  });

  it('retries submissions that certainly created nothing (503, refused connection), then goes on', async () => {
    const repo = fakeRepo();
    const refused = new GatewayError(ErrorCode.UpstreamUnavailable, 'unreachable', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const { upstream, source } = fakeUpstream([status(503), refused, 'up-3'], [{ status: 'succeeded', result: done }]);
    expect(await new JobRunner(repo, source, settings, clock(), logger).run(job(), new AbortController().signal)).toBe('succeeded');
    expect(upstream.submit).toHaveBeenCalledTimes(3);
    expect(repo.calls.map((c) => c[0])).toEqual([
      'markSubmitting',
      'submitNotMade',
      'markSubmitting',
      'submitNotMade',
      'markSubmitting',
      'submitted',
      'succeeded',
    ]);
  });

  it('gives up after JOB_SUBMIT_MAX_ATTEMPTS unavailable answers', async () => {
    const repo = fakeRepo();
    const { upstream, source } = fakeUpstream([status(429), status(503), status(500)], []);
    expect(await new JobRunner(repo, source, settings, clock(), logger).run(job(), new AbortController().signal)).toBe('failed');
    expect(upstream.submit).toHaveBeenCalledTimes(3);
    expect(repo.calls.at(-1)).toEqual(['failed', FAIL_REASONS.unavailable]);
  });

  it('a refusal (4xx) fails the job with the upstream’s reason', async () => {
    const repo = fakeRepo();
    const refusal = new GatewayError(ErrorCode.UpstreamRejected, 'Prompt violates policy', { status: 400, cause: { upstreamStatus: 400 } });
    const { source } = fakeUpstream([refusal], []);
    expect(await new JobRunner(repo, source, settings, clock(), logger).run(job(), new AbortController().signal)).toBe('failed');
    expect(repo.calls.at(-1)).toEqual(['failed', 'Prompt violates policy']);
  });

  it('an upstream failure fails the job with its reason', async () => {
    const repo = fakeRepo();
    const { source } = fakeUpstream(['up-1'], [running(10), { status: 'failed', reason: 'The provider could not generate the video: boom' }]);
    expect(await new JobRunner(repo, source, settings, clock(), logger).run(job(), new AbortController().signal)).toBe('failed');
    expect(repo.calls.at(-1)).toEqual(['failed', 'The provider could not generate the video: boom']);
  });

  it('poll failures back off and keep the lease; three "no such task" in a row fail the job', async () => {
    const repo = fakeRepo();
    const notFound = () => new GatewayError(ErrorCode.NotFound, 'unknown task', { cause: { upstreamStatus: 404 } });
    const { source } = fakeUpstream(['up-1'], [status(503), status(503), notFound(), notFound(), notFound()]);
    expect(await new JobRunner(repo, source, settings, clock(), logger).run(job(), new AbortController().signal)).toBe('failed');
    expect(repo.calls.slice(2)).toEqual([
      ['renew', 200],
      ['renew', 400],
      ['renew', 800],
      ['renew', 1_000],
      ['failed', FAIL_REASONS.lost],
    ]);
  });

  it('fails a job past its deadline', async () => {
    const repo = fakeRepo();
    const time = clock();
    const { source } = fakeUpstream(
      ['up-1'],
      Array.from({ length: 200 }, () => running(5)),
    );
    expect(
      await new JobRunner(repo, source, { ...settings, deadlineMs: 5_000 }, time, logger).run(
        job({ createdAt: new Date(time.now()) }),
        new AbortController().signal,
      ),
    ).toBe('failed');
    expect(repo.calls.at(-1)).toEqual(['failed', FAIL_REASONS.deadline]);
  });

  it('stops writing the moment it learns the job is no longer its own', async () => {
    const repo = fakeRepo({ loseAfter: 2 });
    const { source } = fakeUpstream(['up-1'], [running(10), running(20)]);
    expect(await new JobRunner(repo, source, settings, clock(), logger).run(job(), new AbortController().signal)).toBe('lost');
    expect(repo.calls.map((c) => c[0])).toEqual(['markSubmitting', 'submitted', 'progressed']);
  });

  it('stops (keeping the job for the next owner) when the worker shuts down', async () => {
    const repo = fakeRepo();
    const stop = new AbortController();
    const { source } = fakeUpstream(['up-1'], [running(10)]);
    const time = clock();
    const runner = new JobRunner(repo, source, settings, { ...time, sleep: async () => stop.abort() }, logger);
    expect(await runner.run(job(), stop.signal)).toBe('stopped');
    expect(repo.calls.map((c) => c[0])).toEqual(['markSubmitting', 'submitted']);
  });
});

describe('classifySubmitFailure', () => {
  it.each([
    [status(429), 'retry'],
    [status(500), 'retry'],
    [status(503), 'retry'],
    [status(502), 'unconfirmed'],
    [status(504), 'unconfirmed'],
    [new GatewayError(ErrorCode.UpstreamRejected, 'no', { cause: { upstreamStatus: 422 } }), 'rejected'],
    [new GatewayError(ErrorCode.UpstreamUnavailable, 'creds', { cause: { upstreamStatus: 401 } }), 'rejected'],
    [new GatewayError(ErrorCode.UpstreamRejected, 'relay said no'), 'rejected'],
    [new GatewayError(ErrorCode.UpstreamTimeout, 'slow'), 'unconfirmed'],
    [new GatewayError(ErrorCode.UpstreamUnavailable, 'unreadable answer'), 'unconfirmed'],
    [
      new GatewayError(ErrorCode.UpstreamUnavailable, 'cut', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }),
      'unconfirmed',
    ],
    [new GatewayError(ErrorCode.UpstreamUnavailable, 'down', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) }), 'retry'],
  ])('%s → %s', (error, expected) => {
    expect(classifySubmitFailure(error)).toBe(expected);
  });
});
