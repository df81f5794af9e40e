import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // ms per clock tick (USER_HZ is 100 on Linux)

/** CPU ms the whole machine has been busy since boot (/proc/stat, every core). */
export function machineBusyMs(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) * TICK_MS;
}

/** CPU ms (user + system) process `pid` has used. */
export function processCpuMs(pid: string): number {
  // Fields after the parenthesised name: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** CPU ms per live process whose command name is `comm` (`postgres`: postmaster and backends). */
export function cpuMsByCommand(comm: string): Map<string, number> {
  const byPid = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm)
        byPid.set(pid, processCpuMs(pid));
    } catch {
      // The process ended while we looked.
    }
  }
  return byPid;
}

/** CPU ms the `comm` processes used since `before` (processes started since count whole). */
export function cpuMsSince(comm: string, before: Map<string, number>): number {
  let total = 0;
  for (const [pid, ms] of cpuMsByCommand(comm)) total += ms - (before.get(pid) ?? 0);
  return total;
}

/**
 * Where the machine's CPU went during a measurement: all of it (/proc/stat), PostgreSQL's
 * processes (postmaster and backends), this process, and a server process if given. Only the
 * per-process figures hold beside other work on the machine. Divided by the requests answered, it
 * says which process decides the rate two cores can sustain. Linux only; elsewhere, null.
 */
export function cpuShare(serverPid?: number) {
  const serverCpu = () => (serverPid ? processCpuMs(String(serverPid)) : 0);
  let start: {
    machine: number;
    postgres: Map<string, number>;
    self: NodeJS.CpuUsage;
    server: number;
  };
  try {
    start = {
      machine: machineBusyMs(),
      postgres: cpuMsByCommand('postgres'),
      self: process.cpuUsage(),
      server: serverCpu(),
    };
  } catch {
    return { read: () => null };
  }
  return {
    /** CPU ms spent since `cpuShare()` per unit of `work` (requests answered). */
    read(work: number) {
      const per = (ms: number) => +(ms / Math.max(1, work)).toFixed(3);
      const postgres = cpuMsSince('postgres', start.postgres);
      const self = process.cpuUsage(start.self);
      return {
        machineMsPerRequest: per(machineBusyMs() - start.machine),
        ...(serverPid ? { serverMsPerRequest: per(serverCpu() - start.server) } : {}),
        postgresMsPerRequest: per(postgres),
        generatorMsPerRequest: per((self.user + self.system) / 1000),
      };
    },
  };
}
