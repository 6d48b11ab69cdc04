/**
 * The shared Redis's share of a measurement window (S1R, S2R): PUBLISH/SPUBLISH calls, all
 * commands and Redis's CPU per message, net of what Redis did while the nodes idled (as the
 * server CPU is). Without a Redis every function answers nothing, so S1 and S2 are unchanged.
 */
import { commandMix, type RedisCounters } from '../lib/redis.js';
import type { Window } from './context.js';

/** Redis's rates while the nodes were connected but idle, per ms. */
export interface RedisIdle {
  publishes: number;
  commands: number;
  cpuUs: number;
}

export function redisIdle(
  a: RedisCounters | undefined,
  b: RedisCounters | undefined,
  idle: Window,
): RedisIdle | undefined {
  if (!a || !b) return undefined;
  return {
    publishes: (b.publishes - a.publishes) / idle.ms,
    commands: (b.commands - a.commands) / idle.ms,
    cpuUs: (b.cpuUs - a.cpuUs) / idle.ms,
  };
}

/** Per-message Redis metrics of window `w` in which `messages` messages were sent. */
export function redisWindow(
  idle: RedisIdle | undefined,
  a: RedisCounters | undefined,
  b: RedisCounters | undefined,
  w: Window,
  messages: number,
): Record<string, number> {
  if (!idle || !a || !b) return {};
  const publishes = b.publishes - a.publishes;
  return {
    redisPublishesPerMessage: (publishes - idle.publishes * w.ms) / messages,
    redisGrossPublishesPerMessage: publishes / messages,
    redisIdlePublishesPerSec: idle.publishes * 1000,
    redisCommandsPerMessage: (b.commands - a.commands - idle.commands * w.ms) / messages,
    redisCpuUsPerMessage: (b.cpuUs - a.cpuUs - idle.cpuUs * w.ms) / messages,
  };
}

/** A note with the commands per message between readings `a` and `b` (none without a Redis). */
export function mixNote(
  a: RedisCounters | undefined,
  b: RedisCounters | undefined,
  messages: number,
): string[] {
  if (!a || !b || messages === 0) return [];
  return [`Redis commands per message over the measured windows: ${commandMix(a, b, messages)}`];
}
