// Progress of a long command-line run on stderr (stdout stays the result): once the run has taken more than
// two seconds, each phase as it ends, with the seconds since the start, the CPU seconds the process has
// used (on a shared machine the figure to compare runs by) and the resident memory.
export function progress(command: string, quietForMs = 2000): (phase: string) => void {
  const start = performance.now();
  let shown = false;
  return (phase) => {
    const ms = performance.now() - start;
    if (ms < quietForMs && !shown) return;
    shown = true;
    const mib = Math.round(process.memoryUsage().rss / 2 ** 20);
    const { user, system } = process.cpuUsage();
    const cpu = ((user + system) / 1e6).toFixed(1);
    process.stderr.write(
      `${command}: ${phase} done at ${(ms / 1000).toFixed(1)} s (CPU ${cpu} s, ${mib} MiB)\n`,
    );
  };
}
