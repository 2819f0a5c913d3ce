import { describe, expect, it } from 'vitest';
import { runFailover } from '../failover.mjs';

describe('socket-pool', () => {
  it.each(['close', 'drop'] as const)('moves the topics of a dead endpoint (%s), loses and repeats no push, and rebalances when it is back', async (kill) => {
    const lines: string[] = [];
    const topics = 2_000;
    const r = await runFailover({ topics, kill, log: (line) => lines.push(line), timeoutMs: 20_000 });

    // Spread over the three endpoints, then none on the dead one, then back to where they were.
    expect(r.perEndpoint.joined.reduce((a, b) => a + b)).toBe(topics);
    expect(Math.min(...r.perEndpoint.joined)).toBeGreaterThan(0);
    expect(r.perNode.joined).toEqual(r.perEndpoint.joined);
    expect(r.affected).toBe(r.perEndpoint.joined[0]);
    expect(r.allJoinedAfterFailover).toBe(true);
    expect(r.perEndpoint.failover[0]).toBe(0);
    expect(r.perEndpoint.failover.reduce((a, b) => a + b)).toBe(topics);
    expect(r.perNode.failover).toEqual(r.perEndpoint.failover);
    expect(r.allJoinedAfterRebalance).toBe(true);
    expect(r.perEndpoint.rebalanced).toEqual(r.perEndpoint.joined);
    expect(r.perNode.rebalanced).toEqual(r.perEndpoint.joined);
    expect(r.moves).toEqual({ failover: r.affected, rebalance: r.affected, overflow: 0 });
    const moved = (reason: string) => Object.entries(r.movedEvents).filter(([k]) => k.startsWith(`${reason} `)).reduce((sum, [, v]) => sum + v, 0);
    expect(moved('failover')).toBe(r.affected);
    expect(moved('rebalance')).toBe(r.affected);

    // Every push settled: ok, or a typed error; none acknowledged and lost, none run twice.
    const { pushes } = r;
    expect(pushes.made).toBeGreaterThan(1_000);
    expect(pushes.unsettled).toBe(0);
    const failed = Object.values(pushes.errors).reduce((a, b) => a + b, 0);
    expect(pushes.ok + failed).toBe(pushes.made);
    for (const code of Object.keys(pushes.errors)) expect(code).not.toMatch(/^untyped/);
    expect(pushes.lost).toBe(0);
    expect(pushes.duplicated).toBe(0);
    // A push can fail only if it was in flight on the endpoint that died, and then with ConnectionLostError.
    for (const code of Object.keys(pushes.errors)) expect(code).toBe('ConnectionLostError (connection_lost)');
    expect(lines.some((l) => l.includes('unhealthy'))).toBe(true);
    expect(lines.some((l) => l.includes('healthy again'))).toBe(true);
  }, 60_000);
});
