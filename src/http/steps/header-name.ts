/** Header names compared without allocating (the response path runs for every header of every response). */

/** Whether `name` equals the lower-case `lower`, ignoring ASCII case. */
export function isHeader(name: string, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    let c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}
