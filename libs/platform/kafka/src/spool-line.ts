import type { OutgoingMessage } from './outgoing-message';

/**
 * One spooled message per line: `{"topic","key","value","headers"}` as JSON, then "\n". The value is a string
 * (our events are JSON text), so it is stored as UTF-8 text rather than base64: a spool file stays readable with
 * `less` during an incident. JSON escapes every newline inside a string, so a line is always one message.
 */
export function encodeSpoolLine({ topic, key, value, headers }: OutgoingMessage): string {
  return `${JSON.stringify(headers === undefined ? { topic, key, value } : { topic, key, value, headers })}\n`;
}

export interface SkippedLine {
  /** 1-based line number in the file. */
  line: number;
  reason: 'torn' | 'corrupt';
}

export interface ParsedSegment {
  messages: OutgoingMessage[];
  skipped: SkippedLine[];
}

/**
 * Reads a segment's text back. A last line without its "\n" is a write cut short by a crash ("torn"); any line
 * that is not a whole message ("corrupt", e.g. zeros a filesystem left after a power cut) is skipped too. Both are
 * reported, never thrown: one bad line must not cost the messages around it.
 */
export function parseSpoolSegment(text: string): ParsedSegment {
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  const messages: OutgoingMessage[] = [];
  const skipped: SkippedLine[] = [];
  lines.forEach((line, index) => {
    if (line === '') return;
    const message = decodeLine(line);
    if (message) messages.push(message);
    else skipped.push({ line: index + 1, reason: 'corrupt' });
  });
  if (tail !== '') skipped.push({ line: lines.length + 1, reason: 'torn' });
  return { messages, skipped };
}

function decodeLine(line: string): OutgoingMessage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { topic, key, value, headers } = parsed as Record<string, unknown>;
  if (typeof topic !== 'string' || typeof key !== 'string' || typeof value !== 'string') return undefined;
  if (headers === undefined) return { topic, key, value };
  if (typeof headers !== 'object' || headers === null || Object.values(headers).some((h) => typeof h !== 'string')) return undefined;
  return { topic, key, value, headers: headers as Record<string, string> };
}
