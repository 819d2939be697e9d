// autocannon in a process of its own for `npm run bench -- stock`: its result as JSON on stdout, and "started" on
// stderr once its connections are up (its CLI, stdout not a terminal, says nothing until it ends).
// node scripts/bench/readersChild.mjs <url> <connections> <seconds>
import autocannon from 'autocannon';

const [url, connections, seconds] = process.argv.slice(2);
const run = autocannon(
  { url, connections: Number(connections), duration: Number(seconds) },
  (err, result) => {
    if (err) {
      console.error(err);
      process.exit(1);
    }
    process.stdout.write(JSON.stringify(result));
  },
);
run.on('start', () => process.stderr.write('started\n'));
