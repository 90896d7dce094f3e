// Instants (RFC 3339, UTC) shown in the newsroom's time zone, in the seed page's form
// `2025년02월20일 15:09`.
export function showInstant(instant: string | null | undefined, timeZone: string): string {
  if (!instant) return '';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return '';
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(date);
  } catch {
    return instant;
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}년${part('month')}월${part('day')}일 ${part('hour')}:${part('minute')}`;
}

/// A date and time in the newsroom's zone as the core gives it (`2026-12-01T12:30`), written the
/// way the app's language writes it: `2026. 12. 01. 12:30` in Korean, `12/01/2026, 12:30` in
/// English, whatever the system locale (WebKit's own date input follows the process locale).
/// The core (`Newsroom::parse_local`) reads both forms back.
export function showLocal(local: string, language: 'ko' | 'en'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!match) return local;
  const [, year, month, day, hour, minute] = match;
  return language === 'ko' ? `${year}. ${month}. ${day}. ${hour}:${minute}` : `${month}/${day}/${year}, ${hour}:${minute}`;
}

/// A day (`2026-12-01`) written the way the app's language writes it: `2026. 12. 01.` in
/// Korean, `12/01/2026` in English, whatever the system locale. The core
/// (`Newsroom::parse_day`) reads both back.
export function showDay(day: string, language: 'ko' | 'en'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  const [, year, month, day_] = match;
  return language === 'ko' ? `${year}. ${month}. ${day_}.` : `${month}/${day_}/${year}`;
}
