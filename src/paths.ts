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
