// The sandbox's asynchronous media tasks (xAI video, Suno music), in memory: each moves from queued to running to
// done (or failed) as time passes, at a pace the control API sets, so tests can make a task take 1 s and demos
// 30 s. Results are deterministic (files derived from the request); task ids are random, as real ones are.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

export type MediaKind = 'video' | 'music';

export interface MediaTask {
  id: string;
  kind: MediaKind;
  /** The request body as the upstream received it. */
  request: Record<string, unknown>;
  /** What the request asked for, in words (for the test's bookkeeping and the deterministic results). */
  prompt: string;
  deployment: string | null;
  createdAt: number;
  /** How long it takes, fixed when it was submitted. */
  durationMs: number;
  /** Set when it is to fail (halfway through), with the reason the upstream gives. */
  failReason?: string;
}

export type MediaTaskPhase = 'queued' | 'running' | 'done' | 'failed';

export interface MediaTaskState {
  phase: MediaTaskPhase;
  /** 0–100. */
  progress: number;
  startedAt?: number;
  finishedAt?: number;
}

/** A prompt containing this fails its task halfway, deterministically: how a test asks for one failure. */
export const FAIL_MARKER = 'sandbox:fail';

export const mediaSettingsSchema = z.object({
  /** How long a task takes from submission to its result. */
  taskMs: z.number().int().min(0).max(3_600_000),
  /** The next n tasks fail halfway (whatever their prompt); counts down. */
  failNext: z.number().int().min(0).max(10_000),
  /** The next `times` submissions are refused with `status` (429, 500, 503, 400, ...) before any task is made. */
  submitFault: z
    .object({ status: z.number().int().min(400).max(599), times: z.number().int().min(1).max(10_000) })
    .strict()
    .nullable(),
});

export type MediaSettings = z.infer<typeof mediaSettingsSchema>;

export const mediaSettingsPatchSchema = mediaSettingsSchema.partial().strict();

export const DEFAULT_MEDIA_TASK_MS = 8_000;
/** The first tenth of a task's time it is queued; done at the end. */
const QUEUED_SHARE = 0.1;
/** Tasks kept (the oldest go first). */
const MAX_TASKS = 10_000;

export class MediaTaskStore {
  readonly settings: MediaSettings;
  private readonly tasks = new Map<string, MediaTask>();

  constructor(taskMs = DEFAULT_MEDIA_TASK_MS) {
    this.settings = { taskMs, failNext: 0, submitFault: null };
  }

  /** The status a submission must be refused with now, if a submit fault is armed (and spends one use of it). */
  takeSubmitFault(): number | undefined {
    const fault = this.settings.submitFault;
    if (!fault) return undefined;
    fault.times -= 1;
    if (fault.times <= 0) this.settings.submitFault = null;
    return fault.status;
  }

  create(kind: MediaKind, request: Record<string, unknown>, prompt: string, deployment: string | null, now = Date.now()): MediaTask {
    const task: MediaTask = { id: randomUUID(), kind, request, prompt, deployment, createdAt: now, durationMs: this.settings.taskMs };
    if (prompt.includes(FAIL_MARKER)) task.failReason = 'the sandbox was asked to fail this task (prompt marker)';
    else if (this.settings.failNext > 0) {
      this.settings.failNext -= 1;
      task.failReason = 'the sandbox was asked to fail this task (failNext)';
    }
    this.tasks.set(task.id, task);
    if (this.tasks.size > MAX_TASKS) this.tasks.delete(this.tasks.keys().next().value as string);
    return task;
  }

  get(id: string): MediaTask | undefined {
    return this.tasks.get(id);
  }

  list(): MediaTask[] {
    return [...this.tasks.values()];
  }

  clear(): void {
    this.tasks.clear();
  }

  state(task: MediaTask, now = Date.now()): MediaTaskState {
    const elapsed = now - task.createdAt;
    const share = task.durationMs === 0 ? 1 : Math.min(1, elapsed / task.durationMs);
    const startedAt = task.createdAt + Math.round(task.durationMs * QUEUED_SHARE);
    if (task.failReason && share >= 0.5) {
      return { phase: 'failed', progress: 50, startedAt, finishedAt: task.createdAt + Math.round(task.durationMs / 2) };
    }
    if (share >= 1) return { phase: 'done', progress: 100, startedAt, finishedAt: task.createdAt + task.durationMs };
    if (share < QUEUED_SHARE) return { phase: 'queued', progress: 0 };
    return { phase: 'running', progress: Math.floor(share * 100), startedAt };
  }
}
