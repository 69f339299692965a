/** Go's time.Duration.String() for a number of nanoseconds: "0s", "1.5µs", "100ms", "1h2m3.5s". */
export function goDurationString(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  const u = Math.abs(nanos);
  if (u < 1e9) {
    // Under a second: the largest of ns, µs and ms below it, with the rest as a fraction.
    const [unit, scale] = u < 1e3 ? ['ns', 1] : u < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    return `${sign}${Math.floor(u / scale)}${fraction(u % scale, scale)}${unit}`;
  }
  const totalSeconds = Math.floor(u / 1e9);
  const seconds = `${totalSeconds % 60}${fraction(u % 1e9, 1e9)}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes === 0) return `${sign}${seconds}`;
  const hours = Math.floor(totalMinutes / 60);
  return `${sign}${hours > 0 ? `${hours}h` : ''}${totalMinutes % 60}m${seconds}`;
}

/** ".5" for 500 of 1000: the digits below the unit without trailing zeros, nothing when they are all zero. */
function fraction(rest: number, scale: number): string {
  if (rest === 0) return '';
  const digits = String(rest).padStart(String(scale).length - 1, '0').replace(/0+$/, '');
  return `.${digits}`;
}
