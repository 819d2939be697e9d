// Preloaded into a benchmarked child process (node --import ./scripts/bench/cpu-at-exit.mjs ...): prints its
// CPU seconds and peak RSS to stderr when it exits, so a benchmark can report them next to wall time.
process.on('exit', () => {
  const c = process.cpuUsage();
  const mib = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stderr.write(`cpu-at-exit cpu=${((c.user + c.system) / 1e6).toFixed(2)} maxrss_mib=${mib}\n`);
});
