// The expiry of a consent: the learner picks a day; access lasts to the end of that day
// in the bank's zone (Asia/Shanghai, UTC+8 all year), and at most a year from now (the
// API refuses anything later). No I/O; `now` can be given for tests.
const BANK_OFFSET = "+08:00";

/** "YYYY-MM-DD" plus whole years (29 February becomes 28 February, as the API counts). */
export function addYears(day: string, years: number): string {
  const [y, m, d] = day.split("-").map(Number);
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const kept = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(kept).padStart(2, "0")}`;
}

/** "YYYY-MM-DD" plus days. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The day the form offers first: a year from today in the bank's calendar. */
export function defaultExpiry(now: Date = new Date()): string {
  return addYears(todayAt(now), 1);
}

/** The first and last day one may choose. */
export function expiryBounds(now: Date = new Date()): { min: string; max: string } {
  const day = todayAt(now);
  return { min: addDays(day, 1), max: addYears(day, 1) };
}

export type ExpiryProblem = "required" | "past" | "tooFar";

/** What is wrong with a chosen day, or null: it must come after today and at most a
 * year from today. */
export function expiryProblem(day: string, now: Date = new Date()): ExpiryProblem | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return "required";
  const { min, max } = expiryBounds(now);
  if (day < min) return "past";
  if (day > max) return "tooFar";
  return null;
}

/** The instant sent as expiresAt (ISO, UTC): the end of the chosen day in the bank's zone,
 * or a year from now less a few minutes when that end would be further than the API
 * allows (the last day one may choose). */
export function expiryInstant(day: string, now: Date = new Date()): string {
  const end = new Date(`${day}T23:59:59${BANK_OFFSET}`);
  const cap = new Date(now.getTime());
  const wasLeapDay = cap.getUTCMonth() === 1 && cap.getUTCDate() === 29;
  cap.setUTCFullYear(cap.getUTCFullYear() + 1);
  if (wasLeapDay) cap.setUTCDate(0); // 1 March → 28 February, as the API counts
  cap.setUTCMinutes(cap.getUTCMinutes() - 5);
  const chosen = end.getTime() < cap.getTime() ? end : cap;
  return chosen.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The day `now` falls on in the bank's calendar, "YYYY-MM-DD". */
function todayAt(now: Date): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}
