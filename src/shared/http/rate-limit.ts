import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { HttpError } from "./errors.ts";

/**
 * Request rate limits: fixed windows counted in this process, synchronous. @fastify/rate-limit
 * awaited four promises on every request (key, maximum, window, store), a tenth of the CPU of an
 * eligibility lookup (docs/adr/0005).
 */
export interface RateLimitRule {
  /** Requests allowed per window, for this request (e.g. more for an API key). */
  max: number | ((request: FastifyRequest) => number);
  /** Window length in milliseconds. */
  timeWindow: number;
  /** Who is counted: by default the API key when there is one, else the client's address. */
  keyGenerator?: (request: FastifyRequest) => string;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** This route's own limit (counted apart from the global one, which it replaces), or false for none. */
    rateLimit?: RateLimitRule | false;
  }
}

interface Window {
  count: number;
  /** When the window ends (ms since the epoch). */
  resetAt: number;
}

/**
 * Counters of one rule. Expired windows are swept once per window length, so the map holds at most
 * the keys seen during the last two windows, whatever the number of clients.
 */
export class FixedWindowCounter {
  private readonly windows = new Map<string, Window>();
  private nextSweep: number;

  constructor(
    private readonly timeWindow: number,
    private readonly now: () => number = Date.now,
  ) {
    this.nextSweep = now() + timeWindow;
  }

  /** Counts one request for `key`; returns its window (count after this request). */
  hit(key: string): Window {
    const now = this.now();
    if (now >= this.nextSweep) this.sweep(now);
    let window = this.windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      window = { count: 0, resetAt: now + this.timeWindow };
      this.windows.set(key, window);
    }
    window.count++;
    return window;
  }

  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    this.nextSweep = now + this.timeWindow;
  }
}

/** The default key: an API key is counted as itself rather than as its address. */
export function defaultRateLimitKey(request: FastifyRequest): string {
  const principal = request.principal;
  return principal?.kind === "cle" ? `cle:${principal.id}` : `ip:${request.ip}`;
}

/**
 * Applies `global` to every route, or the route's own `config.rateLimit`. Runs as a preHandler
 * (after authentication, so that an API key is known); answers 429 with Retry-After beyond the
 * limit, and tells every answer its limit, what remains and when the window resets (X-RateLimit-*).
 */
export function registerRateLimits(app: FastifyInstance, global: RateLimitRule): void {
  const limiters = new Map<RateLimitRule, FixedWindowCounter>();
  const counterOf = (rule: RateLimitRule) => {
    let counter = limiters.get(rule);
    if (!counter) {
      counter = new FixedWindowCounter(rule.timeWindow);
      limiters.set(rule, counter);
    }
    return counter;
  };
  counterOf(global);

  app.addHook("onRoute", (route) => {
    const rule = route.config?.rateLimit === undefined ? global : route.config.rateLimit;
    if (rule === false) return;
    const counter = counterOf(rule);
    const keyOf = rule.keyGenerator ?? defaultRateLimitKey;
    const { max, timeWindow } = rule;
    // Callback style, not async: it runs on every request.
    const limit = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
      const allowed = typeof max === "number" ? max : max(request);
      const window = counter.hit(keyOf(request));
      const resetSeconds = Math.max(1, Math.ceil((window.resetAt - Date.now()) / 1000));
      reply.header("x-ratelimit-limit", allowed);
      reply.header("x-ratelimit-remaining", Math.max(0, allowed - window.count));
      reply.header("x-ratelimit-reset", resetSeconds);
      if (window.count <= allowed) return done();
      done(
        new HttpError(
          429,
          "TROP_DE_REQUETES",
          `Trop de requêtes : ${allowed} par ${describeWindow(timeWindow)} au plus ; réessayez dans ${resetSeconds} s.`,
          {},
          { "retry-after": String(resetSeconds) },
        ),
      );
    };
    const existing = route.preHandler === undefined ? [] : [route.preHandler].flat();
    // Fastify derives a GET's HEAD route from the same options: count it once.
    if (existing.some((hook) => LIMITERS.has(hook))) return;
    LIMITERS.add(limit);
    route.preHandler = [limit, ...existing];
  });
}

const LIMITERS = new WeakSet<object>();

function describeWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? "heure" : `${ms / 3_600_000} heures`;
  if (ms % 60_000 === 0) return ms === 60_000 ? "minute" : `${ms / 60_000} minutes`;
  return `${Math.round(ms / 1000)} s`;
}
