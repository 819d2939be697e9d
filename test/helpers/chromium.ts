import fs from 'node:fs';

/** Debian's Chromium, or CHROMIUM_PATH; undefined when neither exists. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => Boolean(p && fs.existsSync(p)));
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/**
 * The browser-test preamble: serial tests when Chromium is here, otherwise skipped tests and a loud
 * warning naming what was not checked. `launch()` starts Chromium with the flags above.
 */
export function browserSuite(file: string, unchecked: string) {
  const executablePath = chromiumPath();
  if (!executablePath) {
    console.warn(
      `\n!!! ${file}: SKIPPED — no Chromium at /usr/bin/chromium or CHROMIUM_PATH.\n` +
        `!!! ${unchecked} was NOT checked. Install it: apt-get install -y chromium\n`,
    );
  }
  return {
    executablePath,
    available: Boolean(executablePath),
    /** `args`: flags beside the usual ones (a fake camera, say: test/helpers/fakeCamera.ts). */
    launch: async (args: string[] = []) => {
      const { chromium } = await import('playwright-core');
      return chromium.launch({ executablePath: executablePath!, args: [...CHROMIUM_ARGS, ...args] });
    },
  };
}
