/** The end of an exhaustive `switch`: the compiler proves it unreachable, and it throws should a value ever get there. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
