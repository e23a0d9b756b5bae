/**
 * Global positions are decimal strings because some stores exceed 2^53; comparing them as
 * numbers would lose precision and comparing them as plain strings would put "10" before "9".
 */
export function comparePositions(a: string, b: string): number {
  const x = stripLeadingZeros(a);
  const y = stripLeadingZeros(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  if (x === y) return 0;
  return x < y ? -1 : 1;
}

function stripLeadingZeros(position: string): string {
  const stripped = position.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}
