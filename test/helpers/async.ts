// Small waits for tests of things that must not have finished yet.

/** Whether `p` is still unsettled `ms` later: a stop or a close that must wait for work in flight. */
export async function pendingAfter(p: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  const mark = () => {
    settled = true;
  };
  p.then(mark, mark);
  await new Promise((r) => setTimeout(r, ms));
  return !settled;
}
