//! Behaviour pinned as tables: expected value → surface forms in short
//! sentences of our own (with a fixed document date), false friends that must
//! stay untagged, date-line styles for document dates, and tiny TimeML-style
//! documents whose TIMEX3 gold must be reproduced span for span.

use chrono::NaiveDate;

use super::resolve::{self, Direction};
use super::{detect_document_date, DateOptions, DateTagger, Timex, TimexKind};

/// The fixed document date of the examples: Wednesday 24 November 2021.
fn dct() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 11, 24).unwrap()
}

fn tagger() -> DateTagger {
    DateTagger::new(DateOptions::default())
}

/// Expected value → sentences with the expression in [brackets].
const EXAMPLES: &[(&str, &[&str])] = &[
    // full dates
    (
        "2021-11-24",
        &[
            "The rules took effect on [November 24th, 2021] after a vote.",
            "The rules took effect on [24 November 2021] after a vote.",
            "The rules took effect on [Nov. 24, 2021] after a vote.",
            "The filing is dated [2021-11-24] in the register.",
            "The filing is dated [11/24/2021] in the register.",
            "The ministry spoke [Wednesday, Nov. 24, 2021] in a statement.",
            "The rules took effect [today].",
            "It happened [the 24th of November 2021].",
        ],
    ),
    (
        "2021-09-27",
        &["Talks opened [Sept. 27] in Geneva.", "Talks opened on [27 September] in Geneva."],
    ),
    (
        "2021-11",
        &["Prices rose in [November 2021] as expected.", "Sales fell [earlier this month]."],
    ),
    ("2021-03", &["The vote took place in [March] after a delay."]),
    ("2022-03", &["The plant opens in [March of next year]."]),
    ("2021-12-05", &["Voting ends on [the 5th of next month]."]),
    ("2021-05", &["The council met in [May] to discuss it."]),
    (
        "2011",
        &["The treaty was signed in [2011] by both sides.", "The [2011] agreement still holds."],
    ),
    ("2004", &["He has lived there since [2004] with his family."]),
    // day-month without a year: tense decides
    ("2021-12-15", &["The company will pay the dividend on [Dec. 15] to holders."]),
    ("2021-02-10", &["The board met on [Feb. 10] and approved the plan."]),
    ("2022-02-10", &["The board will meet on [Feb. 10] to approve the plan."]),
    // weekdays
    (
        "2021-11-23",
        &[
            "The minister resigned on [Tuesday] after a vote.",
            "The minister resigned [yesterday] after a vote.",
            "The ministry spoke [Tuesday, Nov 23] in a statement.",
            "Police said [Tuesday] that two men were held.",
        ],
    ),
    (
        "2021-11-30",
        &[
            "The minister will meet them on [Tuesday] in Paris.",
            "They meet [next Tuesday] in Paris.",
        ],
    ),
    ("2021-11-19", &["The strike ended [last Friday] after talks."]),
    // relative days and units
    ("2021-11-25", &["The court rules [tomorrow] on the appeal."]),
    ("2021-W46", &["The army moved in [last week] from the north."]),
    ("2021-W47", &["Talks resume [this week] in Rome.", "Talks resume [later this week] in Rome."]),
    ("2021-W48", &["Talks resume [next week] in Rome."]),
    ("2021-11-21", &["The ship sank [three days ago] near the coast."]),
    ("2019", &["The plant closed [two years ago] for good."]),
    ("2022", &["Elections are due [next year] in the region."]),
    ("2020", &["Sales fell [last year] in most markets."]),
    ("2021", &["Sales rose [this year] in most markets."]),
    (
        "2021-10",
        &["The deal was announced [last October] in Tokyo.", "Prices fell [last month] in Tokyo."],
    ),
    ("2021-11-07", &["The payment is due by [this month's 7th] at noon."]),
    ("2021-11-07", &["The first payment arrived on [the 7th], officials said."]),
    ("2021-W46-WE", &["Protests continued over [the weekend] in the capital."]),
    ("2021-W47-WE", &["Protests will continue over [the weekend] in the capital."]),
    // ranges: both ends tagged
    ("2021-02-20", &["The exhibition ran from [February 20] to March 3 in Oslo."]),
    ("2021-03-03", &["The exhibition ran from February 20 to [March 3] in Oslo."]),
    ("2004", &["He ran the agency [2004]-2007 before retiring."]),
    (
        "2007",
        &[
            "He ran the agency 2004-[2007] before retiring.",
            "He served from [2007] to 2010 as mayor.",
        ],
    ),
    ("2010", &["He served from 2007 to [2010] as mayor."]),
    // decades, centuries, seasons, quarters, halves, fiscal years
    (
        "199",
        &[
            "Growth was strong in [the 1990s] across Asia.",
            "Growth was strong in [the nineties] there.",
        ],
    ),
    ("20", &["It is the defining problem of [the 21st century] for cities."]),
    ("2021-SU", &["The lake dried up [last summer] after a drought."]),
    ("2022-SP", &["The bridge opens [next spring] to traffic."]),
    (
        "2021-Q3",
        &[
            "Profit rose in [the third quarter] from a year earlier.",
            "Profit rose in [Q3 2021] again.",
        ],
    ),
    (
        "2020-H1",
        &[
            "Revenue fell in [the first half of 2020] everywhere.",
            "Revenue fell in [H1 2020] everywhere.",
        ],
    ),
    (
        "2020",
        &["Revenue grew in [fiscal 2020] as planned.", "Revenue grew in [FY2020] as planned."],
    ),
    ("1998", &["Growth slowed in [mid-1998] as demand fell."]),
    // holidays
    ("2021-12-25", &["The shops close on [Christmas Day] this year."]),
    // vague references
    ("PRESENT_REF", &["The town is [now] quiet.", "The plant [currently] employs 300 people."]),
    ("PAST_REF", &["The firm [recently] opened an office.", "In [the past] such deals failed."]),
    ("FUTURE_REF", &["Prices may rise in [the future] if supply falls."]),
    // times
    ("2021-11-23T09:00", &["The hearing was held at [9 a.m. Tuesday] in court."]),
    ("2021-11-24T13:23", &["Updated at [13:23 IST] by the desk."]),
    ("2021-11-24T15:30", &["The market closed at [3:30 p.m.] on a high."]),
    ("2021-11-23TNI", &["Gunmen attacked the post [last night] near the border."]),
    ("2021-11-24TMO", &["The minister arrived [this morning] in Kyiv."]),
    ("2021-11-24T04:00", &["The father will leave at [4 in the morning] by plane."]),
    ("2021-11-24T21:00", &["The rally starts at [9 in the evening] downtown."]),
    // weekday and part of the day: nights and mornings are dated by the day
    // (TimeBank's convention), evenings keep the part of the day
    (
        "2021-11-19",
        &[
            "Gunmen attacked the post [Friday night] near the border.",
            "The minister arrived [Friday morning] in Kyiv.",
        ],
    ),
    ("2021-11-19TEV", &["The minister spoke [Friday evening] in Kyiv."]),
    // tense: what is and is not a verb of the date's clause
    (
        "2021-11-19",
        &[
            "A bomb went off next to the embassy on [Friday], officials said.",
            "The two leaders signed a trade plan [Friday] in Kyiv.",
            "The deal is [Friday], the peace plan aside.",
        ],
    ),
    (
        "2021-11-29",
        &[
            "The peace process is set to resume [Monday] in Belfast.",
            "Officials would travel to Rome [Monday] with the delegation.",
        ],
    ),
    ("2021-11-30", &["Officials postponed the hearing until [Tuesday] in court."]),
    ("2022-01-02", &["The reduced dividend is payable [Jan. 2] to holders of record."]),
    ("2021-01", &["In [January], a week after the Roe vs. Wade ruling, a bomb killed a guard."]),
    ("2021-04-23", &["Police have been searching since the [April 23] shooting."]),
    (
        "2022-04-24",
        &["The aide added that the summit would still be held on [April 24] in Washington."],
    ),
    // anaphora and "the year"
    (
        "1998",
        &[
            "She fled to Florida in June 1998 and returned [later that year] to Cuba.",
            "Imports totaled $37 million in 1998, a small share of all imports [that year].",
        ],
    ),
    ("2021", &["For [the year], sales rose 4%.", "Shares hit a high for [the year] in June."]),
    (
        "2020-Q3",
        &["Profit rose in the third quarter, compared with a [year-earlier] loss of $3 million."],
    ),
    // "current" as a temporal adjective
    ("PRESENT_REF", &["The [current] system works well.", "He entered his [current] job in May."]),
    (
        "FUTURE_REF",
        &["It will cut payments in [future quarters].", "He left [as soon as possible]."],
    ),
    // durations
    ("P3Y", &["He spent [three years] in prison.", "The permit runs for [P3Y] in total."]),
    ("P10Y", &["The plan covers [10 years] of spending."]),
    ("P15Y", &["He was sentenced to [15 years] in jail."]),
    ("P2W", &["The strike lasted [two weeks] in all."]),
    ("P1D", &["The talks lasted [one day] only."]),
];

/// Splits "text [marked] text" into the plain sentence and the byte span.
fn unmark(s: &str) -> (String, usize, usize) {
    let a = s.find('[').expect("[ in example");
    let b = s.find(']').expect("] in example");
    let plain = format!("{}{}{}", &s[..a], &s[a + 1..b], &s[b + 1..]);
    (plain, a, b - 1)
}

#[test]
fn examples_table() {
    let t = tagger();
    let mut failures = Vec::new();
    for (value, forms) in EXAMPLES {
        for form in *forms {
            let (text, start, end) = unmark(form);
            let got = t.tag(&text, Some(dct()));
            let hit = got.iter().any(|x| x.start == start && x.end == end && x.value == *value);
            if !hit {
                failures.push(format!("{form:?}: want {value}, got {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn kinds_follow_the_expression() {
    let t = tagger();
    let kind_of = |s: &str| {
        let (text, start, _) = unmark(s);
        t.tag(&text, Some(dct())).into_iter().find(|x| x.start == start).map(|x| x.kind)
    };
    assert_eq!(kind_of("He spent [three years] abroad."), Some(TimexKind::Duration));
    assert_eq!(kind_of("It closed [three years ago] for good."), Some(TimexKind::Date));
    assert_eq!(kind_of("Trains run [daily] to the port."), Some(TimexKind::Set));
    assert_eq!(kind_of("The vote was at [9 a.m. Tuesday] in Rome."), Some(TimexKind::Time));
    assert_eq!(kind_of("The vote was on [Tuesday] in Rome."), Some(TimexKind::Date));
}

#[test]
fn without_a_document_date_values_keep_their_gaps() {
    let t = tagger();
    let value = |s: &str| {
        let (text, start, end) = unmark(s);
        t.tag(&text, None).into_iter().find(|x| x.start == start && x.end == end).map(|x| x.value)
    };
    assert_eq!(value("Talks opened [Sept. 27] in Geneva.").as_deref(), Some("XXXX-09-27"));
    assert_eq!(value("It arrived on [the 7th], they said.").as_deref(), Some("XXXX-XX-07"));
    assert_eq!(value("Signed [Nov. 24, 2021] in Paris.").as_deref(), Some("2021-11-24"));
    assert_eq!(value("The town is [now] quiet.").as_deref(), Some("PRESENT_REF"));
    assert_eq!(value("The summit takes place on [the 7th].").as_deref(), Some("XXXX-XX-07"));
}

/// "the 7/8th of this month": one date per day, with or without a DCT.
#[test]
fn two_days_of_a_month() {
    let t = tagger();
    let text = "The aforementioned summit will take place on the 7/8th of this month.";
    let got = |dct| -> Vec<(String, String)> {
        t.tag(text, dct).into_iter().map(|x| (text[x.start..x.end].to_string(), x.value)).collect()
    };
    let pair =
        |a: &str, b: &str| vec![("the 7".into(), a.into()), ("8th of this month".into(), b.into())];
    assert_eq!(got(None), pair("XXXX-XX-07", "XXXX-XX-08"));
    assert_eq!(got(Some(dct())), pair("2021-11-07", "2021-11-08"));
    let text = "Voting takes place on the 7th and 8th of next month.";
    let v: Vec<String> = t.tag(text, Some(dct())).into_iter().map(|x| x.value).collect();
    assert_eq!(v, ["2021-12-07", "2021-12-08"]);
    let v: Vec<String> =
        t.tag("It ends on the 7th of this month.", None).into_iter().map(|x| x.value).collect();
    assert_eq!(v, ["XXXX-XX-07"]);
}

/// The prefilter only narrows where rules search: the output is the same
/// as searching the whole text with every rule.
#[test]
fn prefilter_changes_nothing() {
    let t = tagger();
    let mut text = String::new();
    for (_, forms) in EXAMPLES {
        for form in *forms {
            text.push_str(&unmark(form).0);
            text.push(if text.len().is_multiple_of(3) { '\n' } else { ' ' });
        }
    }
    for s in FALSE_FRIENDS {
        text.push_str(s);
        text.push_str(" Übersee “quoted” — text. ");
    }
    for dct in [None, Some(dct())] {
        let fast = t.tag(&text, dct);
        let full = t.tag_with(&text, dct, false);
        assert!(fast.len() > 100);
        assert_eq!(fast, full);
    }
}

/// The prefilter's triggers skip words glued to a letter or digit
/// ("today", "Chicago", "Q3" only next to its digit): each example glued
/// to letters, digits and punctuation on either side must still give what
/// the rules find searching everywhere, so a rule that can match inside a
/// word is not silently cut by a trigger.
#[test]
fn prefilter_changes_nothing_on_glued_words() {
    let t = tagger();
    let glue = ["", "a", "Z", "9", "-", "'", "(", "é"];
    let mut text = String::new();
    for (_, forms) in EXAMPLES {
        for form in *forms {
            let form = unmark(form).0;
            for (i, before) in glue.iter().enumerate() {
                let after = glue[(i * 3 + 1) % glue.len()];
                text.push_str(before);
                text.push_str(&form);
                text.push_str(after);
                text.push(' ');
            }
            text.push('\n');
        }
    }
    for dct in [None, Some(dct())] {
        let fast = t.tag(&text, dct);
        assert!(fast.len() > 100);
        assert_eq!(fast, t.tag_with(&text, dct, false));
    }
}

/// The same with the characters the digit groups of the prefilter do not
/// read (`\d` takes "٣", `(?i)s` takes "ſ"), and with month names in lower
/// case, which open no window.
#[test]
fn prefilter_changes_nothing_on_rare_characters() {
    let t = tagger();
    for text in [
        "It ends on the 2ſt of this month, on ٣/٤/2021 or by 19٩9.",
        "Talks may resume in mid-May; the market fell on march 3 and on the 4th.",
        "They met on 12/03/2021, in FY2020 and in 1999-2001.",
    ] {
        for dct in [None, Some(dct())] {
            assert_eq!(t.tag(text, dct), t.tag_with(text, dct, false), "{text}");
        }
    }
}

#[test]
fn day_first_option_reads_numeric_dates() {
    let text = "The order was dated 03/04/2021 by the court.";
    let us = tagger().tag(text, Some(dct()));
    let eu = DateTagger::new(DateOptions { day_first: true }).tag(text, Some(dct()));
    assert_eq!(us[0].value, "2021-03-04");
    assert_eq!(eu[0].value, "2021-04-03");
    // an impossible month swaps whatever the option
    let t = tagger().tag("Dated 24/11/2021 here.", None);
    assert_eq!(t[0].value, "2021-11-24");
}

/// Sentences in which no date or time may be found.
const FALSE_FRIENDS: &[&str] = &[
    "The company raised $2.8 billion in new debt.",
    "Some 9,000 US Marines arrived at the base.",
    "It was the 37th time he had tried.",
    "It was the 7th time he had tried.",
    "A Tu-95 bomber and an H-6 flew past an F-35 fighter.",
    "About 1,200 troops were sent to the border.",
    "The prime minister lives at No. 10 in London.",
    "COVID-19 cases rose sharply.",
    "The G-20 leaders met in Rome.",
    "Talks in the 2+2 format resumed.",
    "Prices may be higher than expected.",
    "May I ask a question?",
    "Theresa May resigned as leader.",
    "Thousands of troops march toward the capital.",
    "He donated 2,000 books to the library.",
    "The army sent 2000 troops to the region.",
    "Boeing sold 1990 aircraft over the years.",
    "The current account deficit widened.",
    "He was swept away by the current of the river.",
    "He previously held the post of mayor.",
];

#[test]
fn false_friends_are_not_dates() {
    let t = tagger();
    for s in FALSE_FRIENDS {
        let got: Vec<Timex> = t
            .tag(s, Some(dct()))
            .into_iter()
            .filter(|x| matches!(x.kind, TimexKind::Date | TimexKind::Time))
            .collect();
        assert!(got.is_empty(), "{s:?} gave {got:?}");
    }
}

#[test]
fn document_date_lines() {
    let cases: &[(&str, (i32, u32, u32), &str)] = &[
        (
            "Army seizes port\nUpdated November 24th, 2021 at 13:23 IST\n\nThe army said on Monday...",
            (2021, 11, 24),
            "November 24th, 2021",
        ),
        (
            "Sep. 30, 2013 - 09:16AM\nRebels regroup in the north",
            (2013, 9, 30),
            "Sep. 30, 2013",
        ),
        (
            "Floods hit the valley\nPublished 3 March 2020\nRain fell for days.",
            (2020, 3, 3),
            "3 March 2020",
        ),
        (
            "Posted on 2019-05-02\nThe talks resumed.",
            (2019, 5, 2),
            "2019-05-02",
        ),
        (
            "Talks collapse\nBy Jane Doe | May 4, 2020\nThe talks ended.",
            (2020, 5, 4),
            "May 4, 2020",
        ),
    ];
    for (text, (y, m, d), surface) in cases {
        let got = detect_document_date(text).unwrap_or_else(|| panic!("no date in {text:?}"));
        assert_eq!(got.date, NaiveDate::from_ymd_opt(*y, *m, *d).unwrap(), "{text:?}");
        assert_eq!(&text[got.start..got.end], *surface);
    }
    assert_eq!(detect_document_date("Rebels regroup\n\nNo date here at all."), None);
    let late = format!("Title\n{}\nPublished 3 March 2020", "Filler line.\n".repeat(10));
    assert_eq!(detect_document_date(&late), None, "only the head counts");
}

/// Tiny TimeML-style documents written for these tests.
const TIMEML: &[&str] = &[
    r#"<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2021-11-24" functionInDocument="CREATION_TIME">2021-11-24</TIMEX3></DCT>
<TEXT>The harbour authority closed the north pier <TIMEX3 tid="t1" type="DATE" value="2021-11-23">Tuesday</TIMEX3> after a storm. Repairs will take <TIMEX3 tid="t2" type="DURATION" value="P3W">three weeks</TIMEX3>, and the pier reopens <TIMEX3 tid="t3" type="DATE" value="2021-12-15">Dec. 15</TIMEX3>. A similar storm hit the coast in <TIMEX3 tid="t4" type="DATE" value="2019">2019</TIMEX3>, when 2,000 boats were damaged.</TEXT></TimeML>"#,
    r#"<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1999-10-26" functionInDocument="CREATION_TIME">1999-10-26</TIMEX3></DCT>
<TEXT>Acme Corp. said net income rose 12% in <TIMEX3 tid="t1" type="DATE" value="1999-Q3">the third quarter</TIMEX3>. Sales were flat <TIMEX3 tid="t2" type="DATE" value="1998-Q3">a year earlier</TIMEX3>. The company expects growth to slow <TIMEX3 tid="t3" type="DATE" value="2000">next year</TIMEX3>; it <TIMEX3 tid="t4" type="DATE" value="PRESENT_REF">now</TIMEX3> has 1,200 workers.</TEXT></TimeML>"#,
    r#"<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2013-09-30" functionInDocument="CREATION_TIME">2013-09-30</TIMEX3></DCT>
<TEXT>Voters went to the polls <TIMEX3 tid="t1" type="DATE" value="2013-W39">last week</TIMEX3> for the first time since <TIMEX3 tid="t2" type="DATE" value="199">the 1990s</TIMEX3>. Results are due at <TIMEX3 tid="t3" type="TIME" value="2013-10-01T09:00">9 a.m. Tuesday</TIMEX3>.</TEXT></TimeML>"#,
];

struct Gold {
    dct: NaiveDate,
    text: String,
    spans: Vec<(usize, usize, String, String)>,
}

/// Reads one of the documents above: DCT value, plain TEXT, TIMEX3 spans as
/// (start, end, type, value) byte offsets into the plain text.
fn parse_timeml(doc: &str) -> Gold {
    let attr = |tag: &str, name: &str| -> String {
        let key = format!("{name}=\"");
        let i = tag.find(&key).expect("attribute") + key.len();
        tag[i..i + tag[i..].find('"').unwrap()].to_string()
    };
    let dct_open = &doc[doc.find("<DCT>").unwrap() + 5..];
    let dct_open = &dct_open[..dct_open.find('>').unwrap()];
    let dct = NaiveDate::parse_from_str(&attr(dct_open, "value"), "%Y-%m-%d").unwrap();
    let body = &doc[doc.find("<TEXT>").unwrap() + 6..doc.find("</TEXT>").unwrap()];
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let gt = lt + rest[lt..].find('>').unwrap();
        let tag = &rest[lt..=gt];
        if tag.starts_with("<TIMEX3") {
            open = Some((text.len(), attr(tag, "type"), attr(tag, "value")));
        } else if tag == "</TIMEX3>" {
            let (s, ty, v) = open.take().unwrap();
            spans.push((s, text.len(), ty, v));
        }
        rest = &rest[gt + 1..];
    }
    text.push_str(rest);
    Gold { dct, text, spans }
}

#[test]
fn timeml_fixture_agrees_span_for_span() {
    let t = tagger();
    for doc in TIMEML {
        let gold = parse_timeml(doc);
        let got = t.tag(&gold.text, Some(gold.dct));
        let want: Vec<(usize, usize, String)> =
            gold.spans.iter().map(|(s, e, _, v)| (*s, *e, v.clone())).collect();
        let have: Vec<(usize, usize, String)> =
            got.iter().map(|x| (x.start, x.end, x.value.clone())).collect();
        assert_eq!(have, want, "in {:?}", gold.text);
        for ((_, _, ty, _), x) in gold.spans.iter().zip(&got) {
            let kind = match ty.as_str() {
                "DATE" => TimexKind::Date,
                "TIME" => TimexKind::Time,
                "DURATION" => TimexKind::Duration,
                _ => TimexKind::Set,
            };
            assert_eq!(x.kind, kind, "{x:?}");
        }
    }
}

#[test]
fn output_is_sorted_disjoint_and_on_char_boundaries() {
    let t = tagger();
    let text = "Él llegó el martes — on Tuesday, Nov. 23 — and left “yesterday” at 9 a.m.; \
                from 2007 to 2010, and in the 1990s, prices rose for three years.";
    let got = t.tag(text, Some(dct()));
    assert!(got.len() >= 6, "{got:?}");
    for w in got.windows(2) {
        assert!(w[0].end <= w[1].start, "{w:?}");
    }
    for x in &got {
        assert!(text.is_char_boundary(x.start) && text.is_char_boundary(x.end));
        assert!(!x.rule.is_empty());
    }
}

#[test]
fn tagger_is_shareable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<DateTagger>();
}

/// Day, month and year values are written as `format!` writes them,
/// zero-padded, for years before 0 and after 9999 too.
#[test]
fn values_are_what_format_writes() {
    for year in [-12_345, -5, -1, 0, 7, 42, 999, 1000, 2021, 9999, 10_000, 262_142] {
        assert_eq!(resolve::year_value(year), format!("{year:04}"));
        for month in [1, 9, 10, 12] {
            assert_eq!(resolve::month_value(year, month), format!("{year:04}-{month:02}"));
        }
    }
    for (y, m, d) in [(-44, 3, 15), (0, 1, 1), (5, 6, 7), (2021, 11, 24), (12_000, 12, 31)] {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(resolve::day_value(date), format!("{y:04}-{m:02}-{d:02}"));
    }
}

#[test]
fn calendar_arithmetic() {
    use chrono::Weekday;
    let d = dct();
    assert_eq!(resolve::week_value(d), "2021-W47");
    assert_eq!(resolve::week_value(NaiveDate::from_ymd_opt(2021, 1, 2).unwrap()), "2020-W53");
    assert_eq!(resolve::weekday_date(Weekday::Wed, d, Direction::Past), d);
    assert_eq!(
        resolve::weekday_date(Weekday::Wed, d, Direction::Future),
        NaiveDate::from_ymd_opt(2021, 12, 1).unwrap()
    );
    assert_eq!(resolve::add_months(2021, 11, 3), (2022, 2));
    assert_eq!(resolve::add_quarters(2021, 1, -1), (2020, 4));
    assert_eq!(resolve::decade_value(1994), "199");
    assert_eq!(resolve::century_value(2021), "20");
    assert_eq!(resolve::duration_value(Some(3.0), "year"), "P3Y");
    assert_eq!(resolve::duration_value(Some(5.0), "hour"), "PT5H");
    assert_eq!(resolve::duration_value(None, "year"), "PXY");
    assert_eq!(resolve::easter(2024), NaiveDate::from_ymd_opt(2024, 3, 31));
    assert_eq!(resolve::holiday("thanksgiving", 2021), NaiveDate::from_ymd_opt(2021, 11, 25));
    assert_eq!(resolve::year_of_day_month(12, 15, d, Direction::Past), 2021);
    assert_eq!(resolve::year_of_day_month(2, 10, d, Direction::Future), 2022);
    assert_eq!(
        resolve::year_of_quarter(4, NaiveDate::from_ymd_opt(2022, 2, 1).unwrap(), Direction::Past),
        2021
    );
}

/// The longest match of a pattern, in units: a run of spaces, hyphens or
/// digits is one unit; `*` or `+` on anything else is unbounded.
#[test]
fn max_units_reads_patterns() {
    use super::prefilter::max_units;
    assert_eq!(max_units(r"(?i)(?-u:\b)ab|abc"), Some(3));
    assert_eq!(max_units(r"(?P<day>\d+)\s*(?:st|nd)?[\s-]+of"), Some(7));
    assert_eq!(max_units(r"(?-i:Q[1-4]){2}x?"), Some(5));
    assert_eq!(max_units(r"\d{1,2}–\d{4}"), Some(7));
    assert_eq!(max_units(r"(?:fiscal\s+)*quarter"), None);
    assert_eq!(max_units(r"P(?:\d+[YM])+"), None);
}

/// Units: runs of spaces/hyphens (also non-ASCII white space) and of digits
/// (also non-ASCII ones) are one unit each, any other character one unit.
#[test]
fn units_collapse_space_and_digit_runs() {
    use super::prefilter::{Hit, Prefilter, Units};
    let text = "On 12  May\u{a0}- 2021, ٣٤ é.";
    let units = Units::new(text);
    // O n ␣ 12 ␣␣ M a y (nbsp-␣) 2021 , ␣ ٣٤ ␣ é .
    assert_eq!(units.len(), 16);
    let hits: Vec<Hit> = Prefilter::new().hits(text, &units);
    let may = hits.iter().find(|h| h.start == text.find("May").unwrap()).unwrap();
    assert_eq!(may.units, (5, 7));
    let year = hits.iter().find(|h| h.start == text.find("2021").unwrap()).unwrap();
    assert_eq!(year.units, (9, 9));
    let w = super::prefilter::windows(&units, &hits, super::prefilter::YEAR4, Some(2));
    // Two units either side of each digit run ("٣٤" makes every ASCII
    // digit run count as a year): "n 12  M" and "y- 2021, ".
    assert_eq!(w, [(1, 8), (9, 20)]);
    assert_eq!(&text[9..20], "y\u{a0}- 2021, ");
    let w = super::prefilter::windows(&units, &hits, super::prefilter::YEAR4, None);
    assert_eq!(w, [(0, text.len())]);
}

/// "clock time" matches bare numbers, which its interpreter always rejects;
/// the tagger skips them before taking the captures.
#[test]
fn bare_numbers_are_no_clock_times() {
    use super::grammar::bare_number;
    assert!(bare_number("12") && bare_number("2021"));
    assert!(!bare_number("12:30") && !bare_number("9 pm") && !bare_number("10 GMT"));
    let t = tagger();
    let rule = t.rules.iter().find(|r| r.name == "clock time").unwrap();
    for n in ["12", "7", "23"] {
        let caps = super::grammar::captures_at(&rule.re, n, 0).unwrap();
        let mut ctx = super::grammar::Ctx {
            text: n,
            dct: Some(dct()),
            day_first: false,
            last_quarter: None,
            last_day: Some(dct()),
            last_year: None,
        };
        assert!((rule.interpret)(&caps, &mut ctx).is_none(), "{n}");
        assert!((rule.rejects)(n));
    }
}

#[test]
fn lower_joins_words_in_lower_case() {
    let re = super::grammar::compile(r"(?s)(?P<x>.*)", false).unwrap();
    let caps = super::grammar::captures_at(&re, "The\u{a0} Next\n\tWEEK ", 0).unwrap();
    assert_eq!(super::grammar::lower(&caps, "x").as_deref(), Some("the next week"));
    assert_eq!(super::grammar::lower(&caps, "y"), None);
    // Texts already so are borrowed; any other white space, a capital or
    // a leading, trailing or double space is rewritten.
    let joined = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase();
    for text in [
        "the past",
        "last",
        "",
        "the  past",
        " the past",
        "the past ",
        "The past",
        "the\tpast",
        "the\u{b}past",
        "the\u{a0}past",
        "the\u{2009}past",
        "mid-2021's",
        "é past",
    ] {
        let caps = super::grammar::captures_at(&re, text, 0).unwrap();
        let got = super::grammar::lower(&caps, "x").unwrap();
        assert_eq!(got, joined(text), "{text:?}");
        let borrowed = matches!(got, std::borrow::Cow::Borrowed(_));
        assert_eq!(borrowed, joined(text) == text && text.is_ascii(), "{text:?}");
    }
}

/// `Units` stores only the bytes that start no unit; its answers agree with
/// the plain list of every unit's start.
#[test]
fn units_agree_with_the_list_of_unit_starts() {
    use super::prefilter::Units;
    let texts = [
        "",
        "a",
        "  ",
        "On 12  May\u{a0}- 2021, ٣٤ é.",
        "12345 -- ab\n\n\tcd—ef 7 8  99 “quoted” x",
        "\u{a0}\u{a0}é1ſ",
        // Longer than a chunk of `Units::new`, runs across chunk ends.
        "Talks resumed on 12 May 2021 after 3  days -- and 14-15 more\n\n1234567890123456 x  \u{a0}y“z”  -9-8-7 end",
        "abcdefg 12345678 abcdefg  abcdef\t\t--------abcdefgh1",
    ];
    for text in texts {
        let units = Units::new(text);
        // Naive: a unit starts at each char unless it continues a run of
        // spaces/hyphens or of digits.
        let mut starts = Vec::new();
        let mut prev = None;
        for (i, c) in text.char_indices() {
            let kind = if c.is_whitespace() || c == '-' {
                Some(0)
            } else if c.is_numeric() {
                Some(1)
            } else {
                None
            };
            if kind.is_none() || kind != prev {
                starts.push(i);
            }
            prev = kind;
        }
        assert_eq!(units.len(), starts.len(), "{text:?}");
        for (u, &s) in starts.iter().enumerate() {
            assert_eq!(units.start(u), s, "{text:?} unit {u}");
            let end = starts.get(u + 1).copied().unwrap_or(text.len());
            assert_eq!(units.end(u), end, "{text:?} unit {u}");
            for i in s..end {
                assert_eq!(units.of(i), u, "{text:?} byte {i}");
            }
        }
    }
}

/// `all_windows` gives each rule the windows `windows` gives it alone, the
/// rules interleaved, and lets a hit open windows only for its own rules.
#[test]
fn all_windows_agree_with_windows_rule_by_rule() {
    use super::prefilter::{all_windows, windows, Prefilter, Units, DIGIT, MONTH, YEAR4};
    let text = "In May 2021 the 3 offices, and on 12 June, then 1999 and more text here.";
    let units = Units::new(text);
    let hits = Prefilter::new().hits(text, &units);
    let rules =
        [(YEAR4, 0, Some(2)), (MONTH, 0, Some(1)), (DIGIT | MONTH, 0, Some(3)), (MONTH, 0, None)];
    let all = all_windows(&units, &hits, &rules);
    for (i, &(groups, _, reach)) in rules.iter().enumerate() {
        let mine: Vec<_> = all.iter().filter(|w| w.0 == i).map(|&(_, lo, hi)| (lo, hi)).collect();
        assert_eq!(mine, windows(&units, &hits, groups, reach), "rule {i}");
    }
    // Two units either side of "2021" and "1999".
    let years = windows(&units, &hits, YEAR4, Some(2));
    assert_eq!(
        years.iter().map(|&(lo, hi)| &text[lo..hi]).collect::<Vec<_>>(),
        ["y 2021 t", "n 1999 a"]
    );
    assert_eq!(all.iter().filter(|w| w.0 == 3).count(), 1);
    // Asked to hold a year too, a month's window stays only where one is:
    // around "May 2021", not around "12 June".
    let months = windows(&units, &hits, MONTH, Some(3));
    let text_of = |w: &[(usize, usize, usize)]| -> Vec<&str> {
        w.iter().map(|&(_, lo, hi)| &text[lo..hi]).collect()
    };
    assert_eq!(months.len(), 2);
    let with_year = all_windows(&units, &hits, &[(MONTH, YEAR4, Some(3))]);
    assert_eq!(text_of(&with_year), ["In May 2021 "]);
    let with_digit = all_windows(&units, &hits, &[(MONTH, DIGIT | YEAR4, Some(3))]);
    assert_eq!(with_digit.len(), 2, "{:?}", text_of(&with_digit));
}

/// A month trigger counts only at a month name as the grammar writes it:
/// every name of the grammar's month patterns passes the check, whatever
/// follows it short of a word character, and words that merely begin like
/// one do not.
#[test]
fn month_triggers_cover_the_grammar_month_names() {
    use super::grammar::{MONTH, MONTH_ALONE};
    use super::prefilter::starts_with_month;
    let fragments = format!("{MONTH}{MONTH_ALONE}");
    let names: Vec<&str> =
        fragments.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 3).collect();
    assert!(names.len() > 40, "{names:?}");
    for name in names {
        for rest in [name.to_string(), format!("{name}. 3"), format!("{name}\u{a0}4")] {
            assert!(starts_with_month(rest.as_bytes()), "{rest:?}");
        }
        for rest in [format!("{name}s"), format!("{name}_"), format!("{name}1")] {
            assert!(!starts_with_month(rest.as_bytes()), "{rest:?}");
        }
    }
    for no in ["Markets", "march", "mAY", "Novak", "", "Ma"] {
        assert!(!starts_with_month(no.as_bytes()), "{no}");
    }
}

/// `captures_at` reads the match that starts exactly at `start`, as the
/// tagger needs for a candidate, and none that starts later; with or
/// without a prefilter.
#[test]
fn captures_at_is_anchored() {
    use super::grammar::{captures_at, compile};
    for prefilter in [false, true] {
        let re = compile(r"(?P<n>\d+) (?P<unit>days|weeks)", prefilter).unwrap();
        let c = captures_at(&re, "in 12 days", 3).unwrap();
        let m = c.get(0).unwrap();
        assert_eq!((m.start(), m.end(), m.as_str()), (3, 10, "12 days"));
        assert_eq!((&c["n"], &c["unit"]), ("12", "days"));
        assert!(c.name("year").is_none());
        assert!(captures_at(&re, "in 12 days", 0).is_none());
        assert_eq!(&captures_at(&re, "in 12 days", 4).unwrap()["n"], "2");
    }
}

/// The captures a thread remembers are those a fresh search takes: every
/// match of every rule in a text where each example stands between
/// various neighbours (letters, digits, punctuation, nothing), read twice
/// so that the second reading comes from memory.
#[test]
fn remembered_captures_are_the_captures() {
    use super::grammar::{captures_at, captures_of};
    use regex_automata::PatternID;
    let t = tagger();
    let glue = ["", "a", "Z", "9", "-", "'", "(", "é", ",", "\n"];
    let mut text = String::new();
    for (_, forms) in EXAMPLES {
        for form in *forms {
            let form = unmark(form).0;
            for (i, before) in glue.iter().enumerate() {
                text.push_str(before);
                text.push_str(&form);
                text.push_str(glue[(i * 3 + 1) % glue.len()]);
                text.push(' ');
            }
        }
    }
    let mut compared = 0;
    for _ in 0..2 {
        for (i, rule) in t.rules.iter().enumerate() {
            let groups = rule.re.group_info().group_len(PatternID::ZERO);
            for m in rule.re.find_iter(&text) {
                let fresh = captures_at(&rule.re, &text, m.start()).unwrap();
                let kept = captures_of(i, &rule.re, &text, m.start(), m.end());
                for g in 0..groups {
                    let span =
                        |c: &super::grammar::Captures| c.get(g).map(|x| (x.start(), x.end()));
                    assert_eq!(span(&kept), span(&fresh), "rule {:?} group {g}", rule.name);
                }
                compared += 1;
            }
        }
    }
    assert!(compared > 1000, "{compared}");

    // Where the bytes beside the same text change the groups.
    let b = r"(?-u:\b)";
    let after = super::grammar::compile(&format!(r"(?P<a>ab{b}|a)(?P<b>b)?"), false).unwrap();
    let before = super::grammar::compile(&format!(r"(?:(?P<w>{b}a)|(?P<n>a))b"), false).unwrap();
    for _ in 0..2 {
        assert_eq!(&captures_of(9998, &after, "ab c", 0, 2)["a"], "ab");
        assert_eq!(&captures_of(9998, &after, "abc", 0, 2)["a"], "a");
        assert!(captures_of(9999, &before, " ab", 1, 3).name("w").is_some());
        assert!(captures_of(9999, &before, "xab", 1, 3).name("n").is_some());
    }
}

/// The letter next to a digit run names the digit groups of "Q3", "3Q",
/// "H1", "P3Y" and "PT5H", whose rules need that letter.
#[test]
fn letters_next_to_digits_name_their_groups() {
    use super::prefilter::{digit_groups, DIGIT, H_DIGIT, PT_DIGIT, Q_DIGIT};
    assert_eq!(digit_groups(b"Q", b"3", b" 2021"), Q_DIGIT);
    assert_eq!(digit_groups(b" ", b"3", b"Q 2021"), DIGIT | Q_DIGIT);
    assert_eq!(digit_groups(b"H", b"1", b""), H_DIGIT);
    assert_eq!(digit_groups(b"P", b"3", b"Y"), DIGIT | PT_DIGIT);
    assert_eq!(digit_groups(b"T", b"5", b"H"), DIGIT | PT_DIGIT);
    assert_eq!(digit_groups(b"", b"3", b" q"), 0);
    assert_eq!(digit_groups(b"q", b"3", b""), 0);
    let t = tagger();
    for text in ["Sales rose in Q3 2021 and 4Q'20.", "In H1 2022, for P3Y2M or PT5H."] {
        let found = t.tag(text, None);
        assert_eq!(found, t.tag_with(text, None, false), "{text}");
        assert!(found.len() >= 2, "{found:?}");
    }
}

/// `ascii_kinds` finds, eight bytes at once, the digits and spaces/hyphens
/// a byte-by-byte test finds, and gives up on any byte that is not ASCII.
#[test]
fn ascii_kinds_agree_byte_by_byte() {
    use super::prefilter::ascii_kinds;
    for byte in 0..=255u8 {
        for at in 0..8 {
            let mut chunk = *b"a1 b-c\td";
            chunk[at] = byte;
            let got = ascii_kinds(chunk);
            if !chunk.is_ascii() {
                assert_eq!(got, None, "{chunk:?}");
                continue;
            }
            let mask = |f: fn(u8) -> bool| {
                chunk
                    .iter()
                    .enumerate()
                    .filter(|(_, &b)| f(b))
                    .map(|(k, _)| 0x80u64 << (8 * k))
                    .sum()
            };
            let digits = mask(|b| b.is_ascii_digit());
            let spaces = mask(|b| (b as char).is_whitespace() || b == b'-');
            assert_eq!(got, Some((digits, spaces)), "{chunk:?}");
        }
    }
}

/// Words that the rules take only at the start of a word trigger nothing
/// inside one: "day" in "today", "ago" in "Chicago", "per" in "paper".
#[test]
fn word_start_triggers_count_only_at_word_starts() {
    use super::prefilter::{Prefilter, Units, AGO, EVERY, NOON, RELDAY, UNIT};
    let groups = |text: &str| {
        let units = Units::new(text);
        Prefilter::new().hits(text, &units).iter().fold(0, |all, h| all | h.groups)
    };
    let inside = groups("today in Chicago, on paper, this afternoon");
    assert_eq!(inside & (UNIT | AGO | EVERY | NOON), 0);
    assert_ne!(inside & RELDAY, 0);
    let starts = groups("3 days ago, per week, at noon");
    assert_eq!(starts & (UNIT | AGO | EVERY | NOON), UNIT | AGO | EVERY | NOON);
    let t = tagger();
    let text = "Two-day talks ended 3 days ago in Chicago; Mid-week, at midday, per week.";
    assert_eq!(t.tag(text, None), t.tag_with(text, None, false));
}

/// Only the digit runs that can be the hour of a clock time other than a
/// bare number open the rule's windows ("5 people" does not), and the
/// output is the same as searching everywhere, with white space of every
/// kind between the hour and what follows.
#[test]
fn clock_hours_open_windows_only_where_a_time_can_follow() {
    use super::prefilter::{digit_groups, DIGIT};
    let clock = |head: &str, run: &str, rest: &str| {
        digit_groups(head.as_bytes(), run.as_bytes(), rest.as_bytes()) & DIGIT != 0
    };
    for (head, run, rest, opens) in [
        ("at ", "10", ":30", true),
        ("at ", "5", " p.m.", true),
        ("at ", "5", "pm on", true),
        ("at ", "5", " a m", true),
        ("at ", "5", "AEST", true),
        ("at ", "9", " GMT", true),
        ("at ", "8", ", Tuesday", true),
        ("at ", "8", " on\tMonday", true),
        ("at ", "3", " tonight", true),
        ("at ", "3", " Yesterday", true),
        ("about ", "2017", " people", true),
        ("Around\u{a0}", "6", " people", true),
        ("at ", "7", "\u{a0}pm", true),
        ("at ", "7", " a\u{2009}m", true),
        ("", "5", " people", false),
        ("in ", "2017", ": a year", false),
        ("", "5", "th", false),
        ("", "12", " percent", false),
        ("", "3", " on", false),
        ("", "3", ", and", false),
        ("", "3", "", false),
    ] {
        assert_eq!(clock(head, run, rest), opens, "{head}{run}{rest}");
    }
    let t = tagger();
    let text = "Polls close at 8\u{b}p.m. and open at 7\x0cAM; 5 people, 12 percent, \
                about 2017 voters, at 10.30 on\u{a0}Tuesday, 9, tonight, 6 on\u{85}Friday, \
                3 Nov 4, 11 GMT, 23h, 2 \u{2003}pm and 25:30 or 1٣:30.";
    for dct in [None, Some(dct())] {
        let fast = t.tag(text, dct);
        assert_eq!(fast, t.tag_with(text, dct, false));
        let times: Vec<&str> =
            fast.iter().filter(|x| x.rule == "clock time").map(|x| &text[x.start..x.end]).collect();
        assert_eq!(times, ["8\u{b}p.m.", "7\x0cAM", "2 \u{2003}pm"], "{fast:?}");
    }
    // Each alone, so that no other number's window covers it (the rule
    // reads no time in the last two, but searching everywhere must agree).
    for (text, found) in [
        ("Polls close at 8\u{b}p.m. sharp.", true),
        ("They open at 7\x0cAM.", true),
        ("At 10.30 on\u{a0}Tuesday.", true),
        ("At 10.30 pm.", true),
        ("On May 5 at 4, May 20 pm.", true),
        ("By 6 on\u{85}Friday.", true),
        ("At 2 \u{2003}pm.", true),
        ("At 9, tonight.", true),
        ("At 11 GMT.", false),
        ("About 2017 voters.", false),
    ] {
        let fast = t.tag(text, None);
        assert_eq!(fast, t.tag_with(text, None, false), "{text}");
        assert_eq!(!fast.is_empty(), found, "{text}: {fast:?}");
    }
}
