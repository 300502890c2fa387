import { FileHandle, mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { OutgoingMessage } from './outgoing-message';
import { parseSpoolSegment } from './spool-line';
import { acquireSpoolLock, SpoolLock } from './spool-lock';

export interface DurableSpoolOptions {
  /** The directory this process alone spools to. Without one, every segment lives in memory (lost on a crash). */
  dir?: string;
  /** Most bytes of segment files on disk; callers check `freeBytes` before appending a line. */
  maxBytes?: number;
  /** A segment stops taking appends once it holds this many bytes... */
  segmentBytes?: number;
  /** ...or is this old. Also how long a fully sent segment may linger before it is deleted. */
  segmentMaxAgeMs?: number;
  logger?: Logger;
}

/** One message accepted by the producer: `line` (its encoded spool line) when it goes to disk, none for memory. */
export interface SpoolEntry {
  message: OutgoingMessage;
  line?: string;
}

/** A run of consecutive messages: a segment file, or (without room or a working disk) memory only. */
interface Segment {
  id: number;
  file?: string;
  /** Open for appends: only the last segment, and only while it is a file under its size and age limits. */
  handle?: FileHandle;
  bytes: number;
  count: number;
  /** How many of the first messages Kafka acknowledged. */
  acked: number;
  /** Undefined while only on disk: read back when it becomes the head. */
  messages?: OutgoingMessage[];
  createdAt: number;
}

/** Messages handed out for sending; give it back to `acknowledge` once Kafka acknowledged all of them. */
export interface SpoolBatch {
  readonly messages: OutgoingMessage[];
  readonly segment: Segment;
}

const SEGMENT_FILE = /^segment-(\d+)\.jsonl$/;
const MiB = 1024 * 1024;

/**
 * A write-ahead log of outgoing messages: an ordered list of segments, each a JSON-lines file in `dir`, oldest
 * first. Messages are appended in batches (one write and one fdatasync per `append`), handed out for sending
 * from the oldest segment, and a segment file is deleted only once every message in it was acknowledged. What a
 * previous process left in `dir` is found by `open` and handed out first, in order.
 *
 * Memory stays bounded whatever is on disk: only the head (being sent) and the tail (being appended) segments
 * keep their messages in memory; the ones between are read back from disk when their turn comes.
 *
 * Segments without a file hold messages the disk could not take (spool full, or a write failed). They keep their
 * place in the order but are lost on a crash; the producer bounds how many there are.
 *
 * Not thread-safe across processes (one owner per directory, see spool-lock.ts); within the process, file
 * changes (append, rotation, deletion, close) run one at a time.
 */
export class DurableSpool {
  private segments: Segment[] = [];
  private nextId = 1;
  private diskBytesTotal = 0;
  private lock?: SpoolLock;
  private opening?: Promise<void>;
  private openFailed = false;
  private closed = false;
  private ops: Promise<unknown> = Promise.resolve();
  private rotationTimer?: NodeJS.Timeout;
  readonly maxBytes: number;
  private readonly segmentBytes: number;
  private readonly segmentMaxAgeMs: number;
  private lostUnreadable = 0;

  constructor(private readonly options: DurableSpoolOptions = {}) {
    this.maxBytes = options.maxBytes ?? 256 * MiB;
    this.segmentBytes = options.segmentBytes ?? Math.max(1, Math.min(8 * MiB, Math.floor(this.maxBytes / 8)));
    this.segmentMaxAgeMs = options.segmentMaxAgeMs ?? 5_000;
  }

  /** Whether appends with a line can go to disk at all: a directory was given, and it did not fail to open. */
  get durable(): boolean {
    return this.options.dir !== undefined && !this.openFailed && !this.closed;
  }

  /** Messages lost because their segment file could not be read back. */
  get unreadable(): number {
    return this.lostUnreadable;
  }

  /** Messages not yet acknowledged, on disk and in memory. */
  get pending(): number {
    return this.segments.reduce((sum, s) => sum + s.count - s.acked, 0);
  }

  /** Messages not yet acknowledged that live in memory only. */
  get pendingInMemory(): number {
    return this.segments.reduce((sum, s) => sum + (s.file ? 0 : s.count - s.acked), 0);
  }

  get diskBytes(): number {
    return this.diskBytesTotal;
  }

  get freeBytes(): number {
    return this.durable ? Math.max(0, this.maxBytes - this.diskBytesTotal) : 0;
  }

  get segmentFiles(): number {
    return this.segments.filter((s) => s.file).length;
  }

  /**
   * Creates the directory, takes its lock, and lists the segments a previous process left (each read once, to
   * count its messages and report torn lines). Rejects when the directory is unusable or held by a live process;
   * the spool then keeps everything in memory. Appends wait for it (and call it if nobody did).
   */
  open(): Promise<void> {
    this.opening ??= this.openDisk().then(
      () => void this.exclusive(() => this.reap(false)),
      (error: unknown) => {
        this.openFailed = true;
        this.options.logger?.error({ err: error, dir: this.options.dir }, 'spool cannot be opened; events are kept in memory only');
        throw error;
      },
    );
    return this.opening;
  }

  /**
   * Appends entries in order: runs with a line go to the tail segment file (one write, one fdatasync), the rest
   * to memory. A run whose write fails goes to memory instead; the count of those is returned. Never throws.
   */
  append(entries: SpoolEntry[]): Promise<{ failed: number }> {
    return this.exclusive(async () => {
      if (this.options.dir !== undefined) await this.open().catch(() => undefined);
      let failed = 0;
      for (const run of runs(entries)) {
        const messages = run.map((e) => e.message);
        if (run[0].line !== undefined && this.durable && (await this.appendToDisk(run))) continue;
        if (run[0].line !== undefined) failed += run.length;
        await this.appendToMemory(messages);
      }
      return { failed };
    });
  }

  /** The next messages to send (at most `max`, all from one segment), or undefined when nothing is pending. */
  async next(max: number): Promise<SpoolBatch | undefined> {
    while (!this.closed) {
      const segment = this.segments.find((s) => s.acked < s.count);
      if (!segment) return undefined;
      if (!segment.messages) await this.load(segment);
      // Loading may have found fewer messages than expected (or none); look again.
      if (segment.acked >= segment.count || !segment.messages) continue;
      return { segment, messages: segment.messages.slice(segment.acked, segment.acked + max) };
    }
    return undefined;
  }

  /** Records that Kafka acknowledged a batch from `next`; deletes segments that are now fully acknowledged. */
  acknowledge(batch: SpoolBatch): void {
    if (this.closed) return;
    batch.segment.acked = Math.min(batch.segment.count, batch.segment.acked + batch.messages.length);
    if (batch.segment.acked === batch.segment.count) void this.exclusive(() => this.reap(false));
  }

  /**
   * Closes the tail segment and releases the directory. What is unacknowledged stays on disk for the next
   * process; memory-only messages are gone. Returns how many of each.
   */
  async close(): Promise<{ onDisk: number; inMemory: number }> {
    if (this.closed) return { onDisk: 0, inMemory: 0 };
    await this.opening?.catch(() => undefined);
    await this.exclusive(() => this.reap(true));
    this.closed = true;
    if (this.rotationTimer) clearTimeout(this.rotationTimer);
    const inMemory = this.pendingInMemory;
    const onDisk = this.pending - inMemory;
    await this.lock?.release();
    return { onDisk, inMemory };
  }

  private async openDisk(): Promise<void> {
    const dir = this.options.dir;
    if (dir === undefined) return;
    await mkdir(dir, { recursive: true });
    this.lock = await acquireSpoolLock(dir);
    const names = await readdir(dir).catch(async (error: unknown) => {
      await this.lock?.release();
      throw error;
    });
    const found = names
      .map((name) => ({ name, id: Number(SEGMENT_FILE.exec(name)?.[1] ?? NaN) }))
      .filter((f) => Number.isSafeInteger(f.id))
      .sort((a, b) => a.id - b.id);
    const leftovers: Segment[] = [];
    for (const { name, id } of found) {
      const file = join(dir, name);
      try {
        const [info, text] = await Promise.all([stat(file), readFile(file, 'utf8')]);
        const { messages, skipped } = parseSpoolSegment(text);
        if (skipped.length > 0)
          this.options.logger?.warn({ file, skipped }, 'spool segment has unreadable lines (a write cut short by a crash?); skipping them');
        leftovers.push({ id, file, bytes: info.size, count: messages.length, acked: 0, createdAt: Date.now() });
        this.diskBytesTotal += info.size;
      } catch (error) {
        // Left where it is, for an operator to look at; not counted, not deleted.
        this.options.logger?.error({ err: error, file }, 'spool segment unreadable; leaving it in place');
      }
      this.nextId = id + 1;
    }
    // Appended to (not replacing) whatever memory-only messages were accepted while this opened: those are newer.
    this.segments = [...leftovers, ...this.segments];
    const events = leftovers.reduce((sum, s) => sum + s.count, 0);
    if (leftovers.length > 0) this.options.logger?.info({ dir, segments: leftovers.length, events }, 'spool: sending what a previous process left first');
  }

  private async appendToDisk(run: SpoolEntry[]): Promise<boolean> {
    const data = run.map((e) => e.line).join('');
    const bytes = Buffer.byteLength(data);
    let tail = this.segments.at(-1);
    if (!tail?.handle || this.rotationDue(tail) || (tail.bytes > 0 && tail.bytes + bytes > this.segmentBytes)) {
      tail = await this.startSegment();
      if (!tail) return false;
    }
    try {
      await tail.handle!.appendFile(data);
      await tail.handle!.datasync();
    } catch (error) {
      this.options.logger?.error({ err: error, file: tail.file }, 'spool write failed; these events are kept in memory only');
      // Whatever part of the write landed stays behind its last whole line; later appends start a new file.
      tail.bytes += bytes;
      this.diskBytesTotal += bytes;
      await this.seal(tail);
      return false;
    }
    tail.bytes += bytes;
    this.diskBytesTotal += bytes;
    tail.count += run.length;
    tail.messages?.push(...run.map((e) => e.message));
    return true;
  }

  private async appendToMemory(messages: OutgoingMessage[]): Promise<void> {
    const tail = this.segments.at(-1);
    if (tail && !tail.file) {
      tail.messages!.push(...messages);
      tail.count += messages.length;
      return;
    }
    if (tail?.handle) await this.seal(tail);
    this.segments.push({ id: this.nextId++, bytes: 0, count: messages.length, acked: 0, messages: [...messages], createdAt: Date.now() });
  }

  /** A new tail file, made durable by name too (the directory is fsync'd): a power cut must not lose the file. */
  private async startSegment(): Promise<Segment | undefined> {
    const dir = this.options.dir!;
    const id = this.nextId++;
    const file = join(dir, `segment-${String(id).padStart(12, '0')}.jsonl`);
    let handle: FileHandle;
    try {
      handle = await open(file, 'a');
      await syncDirectory(dir);
    } catch (error) {
      this.options.logger?.error({ err: error, file }, 'spool segment could not be created; these events are kept in memory only');
      return undefined;
    }
    const previous = this.segments.at(-1);
    if (previous?.handle) await this.seal(previous);
    const segment: Segment = { id, file, handle, bytes: 0, count: 0, acked: 0, messages: [], createdAt: Date.now() };
    this.segments.push(segment);
    return segment;
  }

  /** Stops appends to a segment file; unless it is the one being sent, its messages leave memory. */
  private async seal(segment: Segment): Promise<void> {
    const handle = segment.handle;
    segment.handle = undefined;
    if (segment !== this.segments.find((s) => s.acked < s.count)) segment.messages = undefined;
    await handle?.close().catch(() => undefined);
  }

  private rotationDue(segment: Segment): boolean {
    return segment.bytes >= this.segmentBytes || Date.now() - segment.createdAt >= this.segmentMaxAgeMs;
  }

  /**
   * Deletes fully acknowledged segments from the head. The tail file is kept for more appends until it is due for
   * rotation (then a timer comes back for it), so a quiet service ends up with no files at all.
   */
  private async reap(closing: boolean): Promise<void> {
    if (this.closed) return;
    if (closing && this.segments.at(-1)?.handle) await this.seal(this.segments.at(-1)!);
    while (this.segments.length > 0) {
      const head = this.segments[0];
      if (head.acked < head.count) return;
      if (head.handle && !this.rotationDue(head)) {
        this.armRotation(head);
        return;
      }
      this.segments.shift();
      if (head.handle) await this.seal(head);
      if (!head.file) continue;
      await rm(head.file, { force: true }).catch((error: unknown) => this.options.logger?.warn({ err: error, file: head.file }, 'spool segment not deleted'));
      this.diskBytesTotal -= head.bytes;
    }
  }

  private armRotation(segment: Segment): void {
    if (this.rotationTimer) clearTimeout(this.rotationTimer);
    const wait = Math.max(0, segment.createdAt + this.segmentMaxAgeMs - Date.now());
    this.rotationTimer = setTimeout(() => {
      this.rotationTimer = undefined;
      void this.exclusive(() => this.reap(false));
    }, wait + 1);
    this.rotationTimer.unref();
  }

  /** Reads a segment back for sending. One we cannot read is reported and dropped: nothing else can be done. */
  private async load(segment: Segment): Promise<void> {
    try {
      const { messages } = parseSpoolSegment(await readFile(segment.file!, 'utf8'));
      // A file of ours may end in lines of a write that failed (those messages went to memory): only `count` count.
      segment.messages = messages.slice(0, segment.count);
      if (messages.length < segment.count) {
        this.options.logger?.error({ file: segment.file, expected: segment.count, found: messages.length }, 'spool segment shorter than written');
        this.lostUnreadable += segment.count - messages.length;
        segment.count = messages.length;
        segment.acked = Math.min(segment.acked, segment.count);
      }
    } catch (error) {
      this.options.logger?.error({ err: error, file: segment.file, lost: segment.count - segment.acked }, 'spool segment unreadable; its events are lost');
      this.lostUnreadable += segment.count - segment.acked;
      segment.count = segment.acked;
      segment.messages = [];
      void this.exclusive(() => this.reap(false));
    }
  }

  private exclusive<T>(op: () => Promise<T>): Promise<T> {
    const result = this.ops.then(op);
    this.ops = result.catch(() => undefined);
    return result;
  }
}

/** Consecutive entries with the same destination (disk or memory), in order. */
function runs(entries: SpoolEntry[]): SpoolEntry[][] {
  const result: SpoolEntry[][] = [];
  for (const entry of entries) {
    const last = result.at(-1);
    if (last && (last[0].line === undefined) === (entry.line === undefined)) last.push(entry);
    else result.push([entry]);
  }
  return result;
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some platforms cannot fsync a directory; the file's own fdatasync still covers a process crash.
  } finally {
    await handle.close();
  }
}
