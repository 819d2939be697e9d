// Where the project's own folders are, whether running from src/ under tsx or from dist/src/ once built.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above src/');
    dir = up;
  }
  return dir;
}

export const rootDir = projectRoot();
export const templatesDir = path.join(rootDir, 'templates');

/**
 * The file of the module `name` (relative to the calling module, given as its import.meta.url), with the caller's
 * own extension: .ts under tsx, .js once built. For forking a sibling entry.
 */
export function moduleBeside(callerUrl: string, name: string): string {
  return fileURLToPath(new URL(`${name}${path.extname(fileURLToPath(callerUrl))}`, callerUrl));
}
