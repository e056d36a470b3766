// Java's `String.format("%.Nf", double)` for the texts that must read exactly like Hyperfoil's (SLA failure
// messages, the percentile distribution CSV). Java rounds the shortest decimal representation of the double
// half-up, while Number.prototype.toFixed rounds the exact binary value: 1.005 gives "1.01" in Java and "1.00"
// with toFixed. Both use the same shortest digits (JS toExponential() without an argument yields them).

/** Format like Java's `%.<fractionDigits>f` (Locale.US): half-up rounding of the shortest decimal digits. */
export function javaFixed(value: number, fractionDigits: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  const negative = value < 0 || Object.is(value, -0);
  const [mantissa = '0', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  // The value is 0.<digits> * 10^(exponent + 1); place the decimal point `pointAt` digits from the left.
  let pointAt = exponent + 1;
  let all = digits;
  if (pointAt <= 0) {
    all = '0'.repeat(1 - pointAt) + all;
    pointAt = 1;
  }
  if (all.length < pointAt) all = all + '0'.repeat(pointAt - all.length);
  const keep = pointAt + fractionDigits;
  let kept = all.length > keep ? all.slice(0, keep) : all + '0'.repeat(keep - all.length);
  if (all.length > keep && all.charCodeAt(keep) >= 0x35 /* '5' */) {
    kept = incrementDecimalString(kept);
    if (kept.length > keep) pointAt++;
  }
  const intPart = kept.slice(0, pointAt).replace(/^0+(?=\d)/, '');
  const fracPart = kept.slice(pointAt);
  return (negative ? '-' : '') + intPart + (fractionDigits > 0 ? '.' + fracPart : '');
}

function incrementDecimalString(digits: string): string {
  const chars = digits.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] === '9') {
      chars[i] = '0';
    } else {
      chars[i] = String.fromCharCode(chars[i]!.charCodeAt(0) + 1);
      return chars.join('');
    }
  }
  return '1' + chars.join('');
}

/**
 * Java's Double.toString for the numbers we print that way (percentile keys such as "99.9", "50.0"):
 * integers keep a ".0"; magnitudes outside [1e-3, 1e7) use Java's "1.0E7" scientific form.
 */
export function javaDoubleToString(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa = '0', exponent = '0'] = value.toExponential().split('e');
  const withFraction = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${withFraction}E${Number(exponent)}`;
}
