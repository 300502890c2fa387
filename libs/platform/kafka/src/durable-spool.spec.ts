import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { DurableSpool, DurableSpoolOptions } from './durable-spool';
import type { OutgoingMessage } from './outgoing-message';
import { encodeSpoolLine } from './spool-line';
import { SpoolLockedError } from './spool-lock';

const message = (i: number): OutgoingMessage => ({ topic: 'usage', key: `account-${i % 3}`, value: JSON.stringify({ eventId: `e${i}` }) });
const toDisk = (...ids: number[]) => ids.map((i) => ({ message: message(i), line: encodeSpoolLine(message(i)) }));
const toMemory = (...ids: number[]) => ids.map((i) => ({ message: message(i) }));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const segmentFile = (id: number) => `segment-${String(id).padStart(12, '0')}.jsonl`;

/** A logger that remembers what it was told. */
function recordingLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => lines.push({ level, fields, message });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') } as unknown as Logger };
}

describe('DurableSpool', () => {
  let root: string;
  const opened: DurableSpool[] = [];
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'durable-spool-'))));
  afterEach(async () => {
    for (const spool of opened.splice(0)) await spool.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function openSpool(options: DurableSpoolOptions = {}): Promise<DurableSpool> {
    const spool = new DurableSpool({ dir: join(root, 'spool'), ...options });
    opened.push(spool);
    await spool.open();
    return spool;
  }

  /** Sends everything (acknowledging each batch), returning the event ids in the order they were handed out. */
  async function drain(spool: DurableSpool, max = 1_000): Promise<string[]> {
    const ids: string[] = [];
    for (let batch = await spool.next(max); batch; batch = await spool.next(max)) {
      ids.push(...batch.messages.map((m) => JSON.parse(m.value).eventId));
      spool.acknowledge(batch);
    }
    return ids;
  }

  const files = () => readdirSync(join(root, 'spool')).filter((f) => f.endsWith('.jsonl'));
  const linesOnDisk = () =>
    files().flatMap((f) =>
      readFileSync(join(root, 'spool', f), 'utf8')
        .split('\n')
        .filter(Boolean),
    );
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  const ids = (...n: number[]) => n.map((i) => `e${i}`);

  it('append resolves only once the batch is in the segment file, one JSON line per message', async () => {
    const spool = await openSpool();
    await spool.append(toDisk(0, 1, 2));
    expect(files()).toEqual([segmentFile(1)]);
    expect(linesOnDisk().map((l) => JSON.parse(l))).toEqual([message(0), message(1), message(2)]);
    expect(spool.pending).toBe(3);
    expect(spool.diskBytes).toBe(statSync(join(root, 'spool', segmentFile(1))).size);
  });

  it('a crash loses nothing appended: a new spool over the same files hands everything out again, in order', async () => {
    const spool = await openSpool({ segmentBytes: 200 });
    await spool.append(toDisk(...range(0, 10)));
    await spool.append(toDisk(...range(10, 20)));
    const first = await spool.next(5);
    spool.acknowledge(first!);
    // The crash: the files as they are right now, taken over by a new process.
    const copy = join(root, 'after-crash');
    cpSync(join(root, 'spool'), copy, { recursive: true });
    rmSync(join(copy, 'spool.lock'));
    const { logger, lines } = recordingLogger();
    const revived = new DurableSpool({ dir: copy, logger });
    opened.push(revived);
    await revived.open();
    // Acknowledged-but-not-deleted events come back too (duplicates are fine, consumers dedupe); nothing is missing.
    expect(revived.pending).toBe(20);
    await revived.append(toDisk(20, 21));
    expect(await drain(revived)).toEqual(ids(...range(0, 22)));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', fields: expect.objectContaining({ segments: 2, events: 20 }) }));
  });

  it('replays leftover segments first, in file order, skipping a torn last line with a warning', async () => {
    const dir = join(root, 'spool');
    mkdirSync(dir);
    writeFileSync(
      join(dir, segmentFile(7)),
      toDisk(0, 1)
        .map((e) => e.line)
        .join(''),
    );
    writeFileSync(
      join(dir, segmentFile(12)),
      toDisk(2, 3)
        .map((e) => e.line)
        .join('') + toDisk(4)[0].line.slice(0, 20),
    );
    writeFileSync(join(dir, 'notes.txt'), 'not a segment');
    const { logger, lines } = recordingLogger();
    const spool = await openSpool({ logger });
    expect(spool.pending).toBe(4);
    await spool.append(toDisk(5));
    await spool.append(toMemory(6));
    expect(await drain(spool)).toEqual(ids(0, 1, 2, 3, 5, 6));
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'warn', fields: { file: join(dir, segmentFile(12)), skipped: [{ line: 3, reason: 'torn' }] } }),
    );
    // New segments number after the leftovers, so order survives the next crash too.
    expect(files()).toContain(segmentFile(13));
  });

  it('deletes a segment file only once every message in it is acknowledged', async () => {
    const spool = await openSpool({ segmentBytes: 1 }); // every append starts a new segment
    await spool.append(toDisk(0, 1, 2));
    await spool.append(toDisk(3));
    expect(files()).toEqual([segmentFile(1), segmentFile(2)]);

    spool.acknowledge((await spool.next(2))!);
    await settle();
    expect(files()).toEqual([segmentFile(1), segmentFile(2)]);

    spool.acknowledge((await spool.next(2))!); // the last of segment 1
    await settle();
    expect(files()).toEqual([segmentFile(2)]);
    expect(spool.pending).toBe(1);
  });

  it('rotates by size: a segment takes appends until the next one would pass segmentBytes', async () => {
    const lineBytes = Buffer.byteLength(toDisk(0)[0].line);
    const spool = await openSpool({ segmentBytes: lineBytes * 4 });
    for (const i of range(0, 10)) await spool.append(toDisk(i));
    expect(files().map((f) => statSync(join(root, 'spool', f)).size)).toEqual([4, 4, 2].map((n) => n * lineBytes));
    expect(spool.segmentFiles).toBe(3);
  });

  it('rotates by age, and deletes a fully sent tail once it is that old, so a quiet service keeps no files', async () => {
    const spool = await openSpool({ segmentMaxAgeMs: 80 });
    await spool.append(toDisk(0));
    expect(await drain(spool)).toEqual(ids(0));
    await settle();
    expect(files()).toEqual([segmentFile(1)]); // still the tail, young: kept for more appends
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(files()).toEqual([]);
    expect(spool.diskBytes).toBe(0);
    await spool.append(toDisk(1));
    expect(files()).toEqual([segmentFile(2)]);
  });

  it('keeps only the head and tail segments in memory; the ones between are read back from disk in turn', async () => {
    const spool = await openSpool({ segmentBytes: 1 });
    for (const i of range(0, 5)) await spool.append(toDisk(i * 2, i * 2 + 1));
    const inMemory = (spool as unknown as { segments: { messages?: unknown[] }[] }).segments.map((s) => s.messages !== undefined);
    expect(inMemory).toEqual([true, false, false, false, true]);
    expect(await drain(spool, 1)).toEqual(ids(...range(0, 10)));
  });

  it('is bounded: freeBytes shrinks with what is on disk and grows back as segments are deleted', async () => {
    const lineBytes = Buffer.byteLength(toDisk(0)[0].line);
    const spool = await openSpool({ maxBytes: lineBytes * 5, segmentBytes: 1 });
    await spool.append(toDisk(0, 1, 2));
    expect(spool.freeBytes).toBe(lineBytes * 2);
    await drain(spool);
    await spool.append(toDisk(3)); // rotates the drained tail out
    await settle();
    expect(spool.freeBytes).toBe(lineBytes * 4);
  });

  it('keeps a run in memory, in order, when its write fails, and reports it', async () => {
    const { logger, lines } = recordingLogger();
    const spool = await openSpool({ logger });
    await spool.append(toDisk(0));
    const tail = (spool as unknown as { segments: { handle: { appendFile: () => Promise<void> } }[] }).segments[0];
    tail.handle.appendFile = () => Promise.reject(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
    expect(await spool.append([...toDisk(1, 2), ...toMemory(3)])).toEqual({ failed: 2 });
    expect(await spool.append(toDisk(4))).toEqual({ failed: 0 }); // a new file: the failed one takes no more appends
    expect(spool.pendingInMemory).toBe(3);
    expect(await drain(spool)).toEqual(ids(0, 1, 2, 3, 4));
    expect(lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual(['spool write failed; these events are kept in memory only']);
  });

  it('close leaves what is unacknowledged on disk, reports memory-only events as lost, and frees the directory', async () => {
    const spool = await openSpool();
    await spool.append([...toDisk(0, 1), ...toMemory(2)]);
    spool.acknowledge((await spool.next(1))!);
    expect(await spool.close()).toEqual({ onDisk: 1, inMemory: 1 });
    const next = await openSpool();
    expect(await drain(next)).toEqual(ids(0, 1)); // the acknowledged e0 is in the same file, sent again: harmless
  });

  it('a fully acknowledged spool closes with no files left', async () => {
    const spool = await openSpool();
    await spool.append(toDisk(0, 1));
    await drain(spool);
    await spool.close();
    expect(files()).toEqual([]);
    expect(existsSync(join(root, 'spool', 'spool.lock'))).toBe(false);
  });

  it('refuses a directory another spool holds', async () => {
    await openSpool();
    await expect(new DurableSpool({ dir: join(root, 'spool') }).open()).rejects.toBeInstanceOf(SpoolLockedError);
  });

  it('without a directory, everything lives in memory, in order', async () => {
    const spool = new DurableSpool();
    await spool.open();
    expect(spool.durable).toBe(false);
    expect(await spool.append([...toMemory(0, 1), ...toMemory(2)])).toEqual({ failed: 0 });
    expect(await drain(spool, 2)).toEqual(ids(0, 1, 2));
  });
});
