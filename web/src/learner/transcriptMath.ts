// Sums of credits as the API sends them (decimal strings), exact: scaled to integers,
// never through a float.

function parts(value: string): { units: bigint; scale: number } {
  const negative = value.trim().startsWith("-");
  const [whole, fraction = ""] = value.trim().replace(/^[-+]/, "").split(".");
  const units = BigInt(`${whole || "0"}${fraction}`);
  return { units: negative ? -units : units, scale: fraction.length };
}

/** The exact sum of decimal strings ("3.0" + "2.5" → "5.5"); "0.0" for none. */
export function sumCredits(values: readonly string[]): string {
  const all = values.map(parts);
  const scale = Math.max(1, ...all.map((p) => p.scale));
  let total = 0n;
  for (const p of all) total += p.units * 10n ** BigInt(scale - p.scale);
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}
