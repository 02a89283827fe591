//! Calendar arithmetic for timestamps (milliseconds since the Unix epoch, UTC) and German local
//! time (Europe/Berlin), without a time-zone database: the EU rule suffices for Germany.

/// A local date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// Offset from UTC in hours: 1 (CET) or 2 (CEST).
    pub offset_hours: i64,
}

const DAY_MS: i64 = 86_400_000;
const HOUR_MS: i64 = 3_600_000;

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A proleptic Gregorian date to days since 1970-01-01: the inverse of [`civil_from_days`].
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Summer time runs from the last Sunday of March to the last Sunday of October, both at
/// 01:00 UTC.
fn is_summer_time(utc_ms: i64) -> bool {
    let (year, _, _) = civil_from_days(utc_ms.div_euclid(DAY_MS));
    let last_sunday = |month: u32| {
        let last = days_from_civil(year, month, 31);
        // 1970-01-01 was a Thursday: weekday 0 = Sunday is (days + 4) mod 7.
        last - (last + 4).rem_euclid(7)
    };
    let begins = last_sunday(3) * DAY_MS + HOUR_MS;
    let ends = last_sunday(10) * DAY_MS + HOUR_MS;
    (begins..ends).contains(&utc_ms)
}

/// The offset of German local time from UTC at that instant, in milliseconds.
pub fn berlin_offset_ms(utc_ms: i64) -> i64 {
    if is_summer_time(utc_ms) {
        2 * HOUR_MS
    } else {
        HOUR_MS
    }
}

pub fn berlin_time(utc_ms: i64) -> LocalTime {
    let offset = berlin_offset_ms(utc_ms);
    let local = utc_ms + offset;
    let (year, month, day) = civil_from_days(local.div_euclid(DAY_MS));
    let secs = local.rem_euclid(DAY_MS) / 1000;
    LocalTime {
        year,
        month,
        day,
        hour: (secs / 3600) as u32,
        minute: (secs % 3600 / 60) as u32,
        second: (secs % 60) as u32,
        offset_hours: offset / HOUR_MS,
    }
}

/// The instant German local midnight begins on that date.
pub fn berlin_midnight_ms(year: i64, month: u32, day: u32) -> i64 {
    let utc_midnight = days_from_civil(year, month, day) * DAY_MS;
    // Midnight is never inside a switch hour (01:00 UTC), so the offset an hour earlier is right.
    utc_midnight - berlin_offset_ms(utc_midnight - 2 * HOUR_MS)
}

impl LocalTime {
    /// "01.09.2026 14:05:09", as German spreadsheets read a date and time.
    /// For pages: `23.11.2026, 11:05 Uhr` (German local time, as people read it).
    pub fn for_reading(&self) -> String {
        format!(
            "{:02}.{:02}.{}, {:02}:{:02} Uhr",
            self.day, self.month, self.year, self.hour, self.minute
        )
    }

    pub fn german(&self) -> String {
        format!(
            "{:02}.{:02}.{} {:02}:{:02}:{:02}",
            self.day, self.month, self.year, self.hour, self.minute, self.second
        )
    }

    /// "2026-09-01T14:05:09+02:00" (ISO 8601 with the offset).
    pub fn iso(&self) -> String {
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}+{:02}:00",
            self.year, self.month, self.day, self.hour, self.minute, self.second, self.offset_hours
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        for days in [-800_000, -1, 0, 1, 59, 60, 20_000, 20_513, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
    }

    #[test]
    fn german_summer_time_edges_2026() {
        // 29 March 2026: 00:59:59 UTC is still CET, 01:00 UTC is CEST.
        let switch = days_from_civil(2026, 3, 29) * DAY_MS + HOUR_MS;
        assert_eq!(berlin_offset_ms(switch - 1000), HOUR_MS);
        assert_eq!(berlin_offset_ms(switch), 2 * HOUR_MS);
        // 25 October 2026: back to CET at 01:00 UTC.
        let back = days_from_civil(2026, 10, 25) * DAY_MS + HOUR_MS;
        assert_eq!(berlin_offset_ms(back - 1000), 2 * HOUR_MS);
        assert_eq!(berlin_offset_ms(back), HOUR_MS);
    }

    #[test]
    fn local_times_and_midnights() {
        // 1 September 2026, 10:15:30 UTC is 12:15:30 in summer time.
        let t = days_from_civil(2026, 9, 1) * DAY_MS + 10 * HOUR_MS + 15 * 60_000 + 30_000;
        assert_eq!(berlin_time(t).german(), "01.09.2026 12:15:30");
        assert_eq!(berlin_time(t).iso(), "2026-09-01T12:15:30+02:00");
        // 31 December 2026, 23:30 UTC is already New Year in Germany.
        let t = days_from_civil(2026, 12, 31) * DAY_MS + 23 * HOUR_MS + 30 * 60_000;
        assert_eq!(berlin_time(t).iso(), "2027-01-01T00:30:00+01:00");
        assert_eq!(
            berlin_midnight_ms(2026, 9, 1),
            days_from_civil(2026, 9, 1) * DAY_MS - 2 * HOUR_MS
        );
        assert_eq!(
            berlin_midnight_ms(2026, 12, 1),
            days_from_civil(2026, 12, 1) * DAY_MS - HOUR_MS
        );
        assert_eq!(berlin_time(berlin_midnight_ms(2026, 3, 29)).hour, 0);
        assert_eq!(berlin_time(berlin_midnight_ms(2026, 10, 26)).hour, 0);
    }
}
