import { faultRuleSchema, takeFault, toFaultState, type FaultRule, type FaultState } from './fault-rules';

const rules = (...list: FaultRule[]): FaultState[] => list.map(toFaultState);
const target = { format: 'openai' as const, model: 'gpt-4o', deployment: null };
const statusOf = (fault: FaultState | undefined) => (fault?.kind === 'status' ? fault.status : undefined);

describe('fault rules', () => {
  it('parses each kind with only its own fields', () => {
    expect(faultRuleSchema.parse({ kind: 'status', status: 429, retryAfterSeconds: 2 })).toEqual({ kind: 'status', status: 429, retryAfterSeconds: 2 });
    expect(faultRuleSchema.safeParse({ kind: 'timeout', status: 500 }).success).toBe(false);
    expect(faultRuleSchema.safeParse({ kind: 'garbage', retryAfterSeconds: 1 }).success).toBe(false);
    expect(faultRuleSchema.safeParse({ kind: 'midstream', afterChunks: -1 }).success).toBe(false);
    expect(faultRuleSchema.safeParse({ kind: 'status', status: 429, match: { deployment: 'has space' } }).success).toBe(false);
  });

  it('takes the first live matching rule and spends it', () => {
    const faults = rules(
      { kind: 'status', status: 404, match: { model: 'other' } },
      { kind: 'status', status: 429, times: 1 },
      { kind: 'status', status: 500 },
    );
    expect(statusOf(takeFault(faults, target))).toBe(429);
    expect(statusOf(takeFault(faults, target))).toBe(500);
    expect(statusOf(takeFault(faults, target))).toBe(500);
    expect(faults.map((f) => [f.remaining, f.applied])).toEqual([
      [null, 0],
      [0, 1],
      [null, 2],
    ]);
  });

  it('matches on every given field: model, format and deployment', () => {
    const [fault] = rules({ kind: 'garbage', match: { model: 'gpt-4o', format: 'openai', deployment: 'east' } });
    expect(takeFault([fault], target)).toBeUndefined();
    expect(takeFault([fault], { ...target, deployment: 'east', format: 'gemini' })).toBeUndefined();
    expect(takeFault([fault], { ...target, deployment: 'east', model: 'gpt-4o-mini' })).toBeUndefined();
    expect(takeFault([fault], { ...target, deployment: 'east' })).toBe(fault);
  });
});
