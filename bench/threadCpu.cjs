// Preloaded into the checker by bench/budget.ts (node --require): when the process exits, prints on
// stderr one line "thread CPU: {json}" with the CPU, in ms, of the main thread, of the threads still
// alive then (V8's own: optimizing compiles, GC helpers; libuv's pool), and of the whole process
// (getrusage: threads that ended, the scan's workers, included). A CPU profile cannot show V8's
// threads: it samples the threads that run JavaScript. Linux only (/proc); elsewhere prints nothing.
'use strict';
const fs = require('node:fs');

/** The CPU (user + system) of one task, in ms, from its /proc stat line; null when unreadable. */
function taskCpuMs(statFile) {
  try {
    const stat = fs.readFileSync(statFile, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

process.on('exit', () => {
  let tasks;
  try {
    tasks = fs.readdirSync('/proc/self/task');
  } catch {
    return;
  }
  const main = taskCpuMs(`/proc/self/task/${process.pid}/stat`);
  if (main === null) return;
  let alive = 0;
  for (const t of tasks) if (t !== String(process.pid)) alive += taskCpuMs(`/proc/self/task/${t}/stat`) ?? 0;
  const u = process.cpuUsage();
  const all = Math.round((u.user + u.system) / 1000);
  fs.writeSync(2, `thread CPU: ${JSON.stringify({ main, alive, all })}\n`);
});
