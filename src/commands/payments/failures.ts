// Work on many orders where one failing holds back none of the others: what failed is thrown once the rest is done.

/** Throws the one error as it is, several together as an AggregateError (`${n} ${what}`); nothing when none. */
export function throwFailures(failures: readonly unknown[], what: string): void {
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} ${what}`);
}
