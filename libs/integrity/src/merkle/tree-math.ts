/**
 * Integer helpers for tree sizes and indices. Logs can outgrow 2^32 leaves, and JavaScript's bitwise
 * operators truncate to 32 bits, so everything here is plain arithmetic on safe integers.
 */

/** A usable leaf count or index: a non-negative safe integer (anything else cannot address a leaf). */
export function isTreeInteger(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

export function isOdd(value: number): boolean {
  return value % 2 === 1;
}

/** Right shift by one, without the 32-bit truncation of `>>`. */
export function half(value: number): number {
  return Math.floor(value / 2);
}

export function isPowerOfTwo(value: number): boolean {
  if (value < 1) return false;
  let rest = value;
  while (!isOdd(rest)) rest = half(rest);
  return rest === 1;
}

/** The k of RFC 9162 2.1.1: the largest power of two strictly smaller than n (n >= 2). */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
