import { Router } from 'express';

/** One readiness check: true (up), false or a throw (down); a slow check counts as down. */
export type HealthCheck = () => boolean | Promise<boolean>;

export interface HealthOptions {
  service: string;
  /** Checks that gate readiness: any one down = 503. */
  checks: Record<string, HealthCheck>;
  /** Checks reported but never gating (a dependency whose absence the service survives). */
  informational?: Record<string, HealthCheck>;
  /** True once the process drains: readiness fails so traffic moves elsewhere. */
  draining?: () => boolean;
  /** Extra fields in the readiness answer (e.g. which transport is in use). */
  details?: () => Record<string, unknown>;
  /** Longest one check may take before it counts as down. Default 1500 ms. */
  timeoutMs?: number;
}

async function probe(check: HealthCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(check), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /health` (liveness: the process answers) and `GET /health/ready` (readiness: every
 * named check up and not draining). Checks run in parallel, each with a timeout, so one hung
 * dependency cannot hang the probe.
 */
export function healthRouter(options: HealthOptions): Router {
  const { service, checks, informational = {}, timeoutMs = 1500 } = options;
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', service });
  });

  router.get('/health/ready', async (_req, res) => {
    const run = async (named: Record<string, HealthCheck>) =>
      Object.fromEntries(
        await Promise.all(
          Object.entries(named).map(
            async ([name, check]) => [name, await probe(check, timeoutMs)] as const,
          ),
        ),
      );
    const [gating, reported] = await Promise.all([run(checks), run(informational)]);
    const draining = options.draining?.() ?? false;
    const ready = !draining && Object.values(gating).every(Boolean);
    const state = Object.fromEntries(
      Object.entries({ ...gating, ...reported }).map(([name, up]) => [name, up ? 'up' : 'down']),
    );
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not-ready',
      checks: state,
      ...(draining ? { draining: true } : {}),
      ...options.details?.(),
    });
  });

  return router;
}
