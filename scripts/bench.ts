// npm run bench -- <name>: each benchmark lives in scripts/bench/<name>.ts and prints its own table.
const BENCHES: Record<string, string> = {
  opening: './bench/opening.ts',
  notify: './bench/notify.ts',
  intake: './bench/intake.ts',
  draw: './bench/draw.ts',
  offload: './bench/offload.ts',
  stock: './bench/stock.ts',
};

const name = process.argv[2];
const target = name ? BENCHES[name] : undefined;
if (!target) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [options]`);
  process.exit(2);
}
process.argv.splice(2, 1);
await import(target);
