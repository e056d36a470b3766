/**
 * Java `SimpleDateFormat` patterns (what `timestamp.pattern` takes), compiled once: `yyyy-MM-dd'T'HH:mm:ss.SSSZ`,
 * `EEE, d MMM yyyy`, `h:mm a` … in the process's local time zone (Java uses the JVM's default zone).
 *
 * Letters: G y Y M L d D E u F a H k K h m s S z Z X, and w W (weeks counted with the US rule: weeks start on
 * Sunday, week 1 holds January 1st). Text in single quotes is literal, `''` is a quote. Month and day names come
 * from the locale of the 2-letter country (its most likely language, e.g. FR → French), through `Intl`.
 */

export interface DateFormatter {
  format(epochMs: number): string;
}

interface Token {
  readonly letter: string;
  readonly count: number;
  readonly text: string;
}

interface Names {
  readonly months: readonly string[];
  readonly shortMonths: readonly string[];
  readonly days: readonly string[];
  readonly shortDays: readonly string[];
  readonly amPm: readonly [string, string];
  readonly era: string;
}

const LETTERS = new Set('GyYMLdDEuFaHkKhmsSzZXwW');

function pad(value: number, width: number): string {
  const text = String(Math.abs(value));
  const padded = text.length >= width ? text : '0'.repeat(width - text.length) + text;
  return value < 0 ? `-${padded}` : padded;
}

const REGIONS = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

function localeOf(country: string): string {
  const region = country.toUpperCase();
  if (region === 'ZZ' || REGIONS.of(region) === undefined) throw new Error(`no locale is known for country \`${country}\``);
  const locale = new Intl.Locale('und', { region }).maximize();
  if (locale.language === 'und') throw new Error(`no locale is known for country \`${country}\``);
  return `${locale.language}-${locale.region ?? country.toUpperCase()}`;
}

function namesOf(locale: string): Names {
  const monthLong = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
  const monthShort = new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' });
  const dayLong = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
  const dayShort = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
  const months: string[] = [];
  const shortMonths: string[] = [];
  for (let m = 0; m < 12; m++) {
    const at = Date.UTC(2021, m, 15);
    months.push(monthLong.format(at));
    shortMonths.push(monthShort.format(at));
  }
  const days: string[] = [];
  const shortDays: string[] = [];
  // 2021-01-03 was a Sunday: index 0 = Sunday, as Date.getDay().
  for (let d = 0; d < 7; d++) {
    const at = Date.UTC(2021, 0, 3 + d);
    days.push(dayLong.format(at));
    shortDays.push(dayShort.format(at));
  }
  const hour = new Intl.DateTimeFormat(locale, { hour: 'numeric', hour12: true, timeZone: 'UTC' });
  const dayPeriod = (at: number): string => hour.formatToParts(at).find((p) => p.type === 'dayPeriod')?.value ?? '';
  const am = dayPeriod(Date.UTC(2021, 0, 1, 9)) || 'AM';
  const pm = dayPeriod(Date.UTC(2021, 0, 1, 21)) || 'PM';
  const eraPart = new Intl.DateTimeFormat(locale, { era: 'short', timeZone: 'UTC' }).formatToParts(Date.UTC(2021, 0, 1))
    .find((p) => p.type === 'era')?.value ?? 'AD';
  return { months, shortMonths, days, shortDays, amPm: [am, pm], era: eraPart };
}

/** Splits a pattern into letter runs and literal text; throws on a letter Java does not know. */
export function tokenizeDatePattern(pattern: string): Token[] {
  const tokens: Token[] = [];
  let literal = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal += "'";
        i += 2;
        continue;
      }
      // quoted text; '' inside it is a quote
      let j = i + 1;
      for (;;) {
        const close = pattern.indexOf("'", j);
        if (close < 0) throw new Error(`unterminated quote in date pattern \`${pattern}\``);
        literal += pattern.slice(j, close);
        if (pattern[close + 1] === "'") {
          literal += "'";
          j = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      if (!LETTERS.has(c)) throw new Error(`illegal pattern character \`${c}\` in date pattern \`${pattern}\``);
      let count = 1;
      while (pattern[i + count] === c) count++;
      if (literal !== '') {
        tokens.push({ letter: '', count: 0, text: literal });
        literal = '';
      }
      tokens.push({ letter: c, count, text: '' });
      i += count;
      continue;
    }
    literal += c;
    i++;
  }
  if (literal !== '') tokens.push({ letter: '', count: 0, text: literal });
  return tokens;
}

function zoneOffset(offsetMin: number, style: 'Z' | 'X', count: number): string {
  if (style === 'X' && offsetMin === 0) return 'Z';
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const hh = pad(Math.floor(abs / 60), 2);
  const mm = pad(abs % 60, 2);
  if (style === 'Z') return `${sign}${hh}${mm}`;
  if (count === 1) return `${sign}${hh}`;
  if (count === 2) return `${sign}${hh}${mm}`;
  return `${sign}${hh}:${mm}`;
}

class CompiledDateFormat implements DateFormatter {
  private readonly date = new Date(0);
  private readonly zoneName: Intl.DateTimeFormat;

  constructor(private readonly tokens: readonly Token[], private readonly names: Names, locale: string) {
    this.zoneName = new Intl.DateTimeFormat(locale, { timeZoneName: 'short' });
  }

  format(epochMs: number): string {
    const d = this.date;
    d.setTime(epochMs);
    let out = '';
    const tokens = this.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const n = t.count;
      switch (t.letter) {
        case '': out += t.text; break;
        case 'G': out += this.names.era; break;
        case 'y':
        case 'Y': {
          const year = d.getFullYear();
          out += n === 2 ? pad(year % 100, 2) : pad(year, n);
          break;
        }
        case 'M':
        case 'L': {
          const month = d.getMonth();
          out += n >= 4 ? this.names.months[month] : n === 3 ? this.names.shortMonths[month] : pad(month + 1, n);
          break;
        }
        case 'd': out += pad(d.getDate(), n); break;
        case 'D': out += pad(dayOfYear(d), n); break;
        case 'E': out += n >= 4 ? this.names.days[d.getDay()] : this.names.shortDays[d.getDay()]; break;
        case 'u': out += pad(d.getDay() === 0 ? 7 : d.getDay(), n); break;
        case 'F': out += pad(Math.floor((d.getDate() - 1) / 7) + 1, n); break;
        case 'w': out += pad(weekOfYear(d), n); break;
        case 'W': out += pad(weekOfMonth(d), n); break;
        case 'a': out += this.names.amPm[d.getHours() < 12 ? 0 : 1]; break;
        case 'H': out += pad(d.getHours(), n); break;
        case 'k': out += pad(d.getHours() === 0 ? 24 : d.getHours(), n); break;
        case 'K': out += pad(d.getHours() % 12, n); break;
        case 'h': out += pad(d.getHours() % 12 === 0 ? 12 : d.getHours() % 12, n); break;
        case 'm': out += pad(d.getMinutes(), n); break;
        case 's': out += pad(d.getSeconds(), n); break;
        case 'S': out += pad(d.getMilliseconds(), n); break;
        case 'z': out += this.zoneName.formatToParts(epochMs).find((p) => p.type === 'timeZoneName')?.value ?? ''; break;
        case 'Z': out += zoneOffset(-d.getTimezoneOffset(), 'Z', n); break;
        case 'X': out += zoneOffset(-d.getTimezoneOffset(), 'X', n); break;
        default: break;
      }
    }
    return out;
  }
}

function dayOfYear(d: Date): number {
  const start = Date.UTC(d.getFullYear(), 0, 1);
  const today = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  return Math.round((today - start) / 86_400_000) + 1;
}

/** US rule: weeks start on Sunday; week 1 is the week holding January 1st. */
function weekOfYear(d: Date): number {
  const jan1Day = new Date(d.getFullYear(), 0, 1).getDay();
  const week = Math.floor((dayOfYear(d) - 1 + jan1Day) / 7) + 1;
  // The last days of December belong to week 1 of the next year when that week holds January 1st.
  const nextJan1Day = new Date(d.getFullYear() + 1, 0, 1).getDay();
  if (d.getMonth() === 11 && nextJan1Day !== 0 && d.getDate() > 31 - nextJan1Day) return 1;
  return week;
}

function weekOfMonth(d: Date): number {
  const firstDay = new Date(d.getFullYear(), d.getMonth(), 1).getDay();
  return Math.floor((d.getDate() - 1 + firstDay) / 7) + 1;
}

/** Compiles a pattern; problems are reported through `fail` (a compile error). */
export function compileDateFormat(pattern: string, localeCountry: string, fail: (message: string) => never): DateFormatter {
  let tokens: Token[];
  let locale: string;
  try {
    tokens = tokenizeDatePattern(pattern);
    locale = localeOf(localeCountry);
  } catch (error) {
    return fail((error as Error).message);
  }
  return new CompiledDateFormat(tokens, namesOf(locale), locale);
}
