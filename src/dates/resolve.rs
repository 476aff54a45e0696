//! Calendar arithmetic for the date tagger, kept apart from the grammar so
//! that every step from "a mention plus the document date" to a TIMEX3 value
//! is a pure, separately testable function (no regexes, no text here).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Which way an underspecified expression points from the document date,
/// as read from the tense of its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Past tense: the most recent such date not after the document date.
    Past,
    /// Future tense ("will", "next"): the upcoming such date.
    Future,
    /// No clue: the rule picks its own default.
    Unknown,
}

/// Days of tolerance after the document date for a past-tense day-month
/// mention ("on Nov. 25" in a story dated Nov. 24 may still be "this year").
const PAST_TOLERANCE_DAYS: i64 = 62;

/// `YYYY-MM-DD`.
pub(crate) fn day_value(d: NaiveDate) -> String {
    let mut out = year_value(d.year());
    out.push('-');
    push_padded(&mut out, d.month(), 2);
    out.push('-');
    push_padded(&mut out, d.day(), 2);
    out
}

/// `YYYY-MM`.
pub(crate) fn month_value(year: i32, month: u32) -> String {
    let mut out = year_value(year);
    out.push('-');
    push_padded(&mut out, month, 2);
    out
}

/// `YYYY` (`format!("{year:04}")`, so a year before 0 as `-005`).
pub(crate) fn year_value(year: i32) -> String {
    let mut out = String::with_capacity(10);
    match u32::try_from(year) {
        Ok(year) => push_padded(&mut out, year, 4),
        Err(_) => out.push_str(&format!("{year:04}")),
    }
    out
}

/// Appends `n` zero-padded to `width` digits (`{n:0width$}`), without the
/// formatting machinery, which took four times as long: values are
/// written for nearly every date of every text.
fn push_padded(out: &mut String, n: u32, width: usize) {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(n);
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(digits);
}

/// ISO week `YYYY-Www` (zero padded).
pub(crate) fn week_value(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

/// Decade `199` for any year of the 1990s.
pub(crate) fn decade_value(year: i32) -> String {
    format!("{:03}", year.div_euclid(10))
}

/// Century `20` for any year 2000-2099 (TIMEX3 centuries are the first two
/// digits of the years they contain).
pub(crate) fn century_value(year: i32) -> String {
    format!("{:02}", year.div_euclid(100))
}

/// `YYYY-Qn`.
pub(crate) fn quarter_value(year: i32, q: u32) -> String {
    format!("{year:04}-Q{q}")
}

/// A date shifted by whole days (saturating to the input on overflow).
pub(crate) fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(n)).unwrap_or(d)
}

/// (year, month) shifted by whole months.
pub(crate) fn add_months(year: i32, month: u32, n: i32) -> (i32, u32) {
    let idx = year * 12 + month as i32 - 1 + n;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

/// Quarter (1-4) of a month.
pub(crate) fn quarter_of_month(month: u32) -> u32 {
    (month - 1) / 3 + 1
}

/// (year, quarter) shifted by whole quarters.
pub(crate) fn add_quarters(year: i32, q: u32, n: i32) -> (i32, u32) {
    let idx = year * 4 + q as i32 - 1 + n;
    (idx.div_euclid(4), (idx.rem_euclid(4) + 1) as u32)
}

/// The year of a month named without a year ("in October").
pub(crate) fn year_of_month(month: u32, dct: NaiveDate, dir: Direction) -> i32 {
    let y = dct.year();
    let gap = month as i32 - dct.month() as i32;
    match dir {
        // Past tense: the most recent one, allowing the next two months
        // (news reports past plans for the coming weeks).
        Direction::Past if gap > 2 => y - 1,
        Direction::Future if gap < -2 => y + 1,
        Direction::Past | Direction::Future => y,
        // No clue: the nearest one.
        Direction::Unknown if gap > 6 => y - 1,
        Direction::Unknown if gap < -5 => y + 1,
        Direction::Unknown => y,
    }
}

/// The year of a day-month named without a year ("on Nov. 25"): past tense
/// takes the most recent one not after the document date (plus a small
/// tolerance), future tense the upcoming one, otherwise the nearest.
pub(crate) fn year_of_day_month(month: u32, day: u32, dct: NaiveDate, dir: Direction) -> i32 {
    let y = dct.year();
    let cand = |yy: i32| NaiveDate::from_ymd_opt(yy, month, day);
    match dir {
        Direction::Past => match cand(y) {
            Some(d) if d > add_days(dct, PAST_TOLERANCE_DAYS) => y - 1,
            _ => y,
        },
        Direction::Future => match cand(y) {
            Some(d) if d < add_days(dct, -PAST_TOLERANCE_DAYS) => y + 1,
            _ => y,
        },
        Direction::Unknown => {
            let mut best = y;
            let mut best_gap = i64::MAX;
            for yy in [y - 1, y, y + 1] {
                if let Some(d) = cand(yy) {
                    let gap = (d - dct).num_days().abs();
                    if gap < best_gap {
                        best_gap = gap;
                        best = yy;
                    }
                }
            }
            best
        }
    }
}

/// The date of a weekday named around the document date: past tense goes
/// back 0-6 days, future tense forward 1-7 days.
pub(crate) fn weekday_date(wd: Weekday, dct: NaiveDate, dir: Direction) -> NaiveDate {
    let have = dct.weekday().num_days_from_monday() as i64;
    let want = wd.num_days_from_monday() as i64;
    match dir {
        Direction::Future => {
            let ahead = (want - have).rem_euclid(7);
            add_days(dct, if ahead == 0 { 7 } else { ahead })
        }
        _ => add_days(dct, -(have - want).rem_euclid(7)),
    }
}

/// "last Tuesday" / "next Tuesday": the weekday in the previous or following
/// seven days, never the document date itself.
pub(crate) fn weekday_strict(wd: Weekday, dct: NaiveDate, forward: bool) -> NaiveDate {
    let have = dct.weekday().num_days_from_monday() as i64;
    let want = wd.num_days_from_monday() as i64;
    if forward {
        let ahead = (want - have).rem_euclid(7);
        add_days(dct, if ahead == 0 { 7 } else { ahead })
    } else {
        let back = (have - want).rem_euclid(7);
        add_days(dct, -(if back == 0 { 7 } else { back }))
    }
}

/// The year of a quarter named without one ("the fourth quarter"): the
/// document's year unless the quarter has not started yet and the sentence
/// is not about the future, in which case the previous year's.
pub(crate) fn year_of_quarter(q: u32, dct: NaiveDate, dir: Direction) -> i32 {
    let cur = quarter_of_month(dct.month());
    if q > cur && dir != Direction::Future {
        dct.year() - 1
    } else {
        dct.year()
    }
}

/// Season codes used by TIMEX3.
pub(crate) fn season_code(name: &str) -> Option<&'static str> {
    Some(match name {
        "spring" => "SP",
        "summer" => "SU",
        "fall" | "autumn" => "FA",
        "winter" => "WI",
        _ => return None,
    })
}

/// The year of a season named without one ("last summer", "this fall").
pub(crate) fn year_of_season(code: &str, dct: NaiveDate, dir: Direction) -> i32 {
    // Month in which each season starts (northern hemisphere).
    let start = match code {
        "SP" => 3,
        "SU" => 6,
        "FA" => 9,
        _ => 12,
    };
    let y = dct.year();
    match dir {
        Direction::Past if start > dct.month() && code != "WI" => y - 1,
        Direction::Past if code == "WI" && dct.month() > 3 => y - 1,
        Direction::Future if start + 2 < dct.month() => y + 1,
        _ => y,
    }
}

/// Nth given weekday of a month (n = 1..=5, or -1 for the last).
pub(crate) fn nth_weekday(year: i32, month: u32, wd: Weekday, n: i32) -> Option<NaiveDate> {
    if n > 0 {
        NaiveDate::from_weekday_of_month_opt(year, month, wd, n as u8)
    } else {
        let (ny, nm) = add_months(year, month, 1);
        let last = NaiveDate::from_ymd_opt(ny, nm, 1)? - Duration::days(1);
        let back = (last.weekday().num_days_from_monday() as i64
            - wd.num_days_from_monday() as i64)
            .rem_euclid(7);
        Some(add_days(last, -back))
    }
}

/// Easter Sunday (Gregorian, anonymous algorithm).
pub(crate) fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// A holiday's date in a given year, by its lower-case canonical name.
pub(crate) fn holiday(name: &str, year: i32) -> Option<NaiveDate> {
    use Weekday::*;
    match name {
        "christmas" => NaiveDate::from_ymd_opt(year, 12, 25),
        "christmas eve" => NaiveDate::from_ymd_opt(year, 12, 24),
        "new year's day" => NaiveDate::from_ymd_opt(year, 1, 1),
        "new year's eve" => NaiveDate::from_ymd_opt(year, 12, 31),
        "independence day" => NaiveDate::from_ymd_opt(year, 7, 4),
        "halloween" => NaiveDate::from_ymd_opt(year, 10, 31),
        "valentine's day" => NaiveDate::from_ymd_opt(year, 2, 14),
        "veterans day" => NaiveDate::from_ymd_opt(year, 11, 11),
        "boxing day" => NaiveDate::from_ymd_opt(year, 12, 26),
        "thanksgiving" => nth_weekday(year, 11, Thu, 4),
        "labor day" => nth_weekday(year, 9, Mon, 1),
        "memorial day" => nth_weekday(year, 5, Mon, -1),
        "election day" => nth_weekday(year, 11, Mon, 1).map(|d| add_days(d, 1)),
        "easter" => easter(year),
        _ => None,
    }
}

/// The TIMEX3 duration value for a count of a unit: `P3Y`, `P2W`, `PT5H`.
/// `count` None means an unspecified count (`PXY`).
pub(crate) fn duration_value(count: Option<f64>, unit: &str) -> String {
    let (mul, code, time) = match unit {
        "year" => (1.0, 'Y', false),
        "decade" => (10.0, 'Y', false),
        "century" => (100.0, 'Y', false),
        "quarter" => (3.0, 'M', false),
        "month" => (1.0, 'M', false),
        "week" => (1.0, 'W', false),
        "day" => (1.0, 'D', false),
        "hour" => (1.0, 'H', true),
        "minute" => (1.0, 'M', true),
        _ => (1.0, 'X', false),
    };
    let n = match count {
        Some(c) => {
            let v = c * mul;
            if v.fract() == 0.0 {
                format!("{}", v as i64)
            } else {
                format!("{v}")
            }
        }
        None => "X".to_string(),
    };
    if time {
        format!("PT{n}{code}")
    } else {
        format!("P{n}{code}")
    }
}

/// A date `n` units before (negative) or after the anchor, at the grain of
/// the unit: days → day, weeks → ISO week, months → month, years → year,
/// decades → decade.
pub(crate) fn shifted_value(anchor: NaiveDate, unit: &str, n: i64) -> Option<String> {
    Some(match unit {
        "day" => day_value(add_days(anchor, n)),
        "week" => week_value(add_days(anchor, 7 * n)),
        "month" => {
            let (y, m) = add_months(anchor.year(), anchor.month(), n as i32);
            month_value(y, m)
        }
        "quarter" => {
            let (y, q) = add_quarters(anchor.year(), quarter_of_month(anchor.month()), n as i32);
            quarter_value(y, q)
        }
        "year" => year_value(anchor.year() + n as i32),
        "decade" => decade_value(anchor.year() + 10 * n as i32),
        "century" => century_value(anchor.year() + 100 * n as i32),
        _ => return None,
    })
}
