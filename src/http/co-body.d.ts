// co-body (koa-bodyparser's own reader) ships no types: what routes/applications/fastPath.ts uses of it. Declared
// here rather than through @types/co-body, so a worktree needs no reinstall for a types-only package.
declare module 'co-body' {
  import type { IncomingMessage } from 'node:http';

  interface Options {
    limit?: string | number;
    strict?: boolean;
    encoding?: string;
  }
  const coBody: { json(req: IncomingMessage, options?: Options): Promise<unknown> };
  export default coBody;
}
