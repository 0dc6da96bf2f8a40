// Number formatting shared by the check messages (fixed precision, no exponent, no trailing zeros).
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function formatNumber(value: number, digits = 2): string {
  return String(round(value, digits));
}
