//! Tagging tests on a small gazetteer written here, so they pin the rules
//! whatever the bundled data says. Each case: text → expected mentions as
//! (type, surface, code).

use chrono::NaiveDate;

use super::*;
use crate::gazetteer::{load_sources, FileKind, SourceFile};
use crate::text::sentences;

const COUNTRIES: &str = "id\tname\taliases\tdemonyms\tcapitals\tambiguous\tblocked
CHN\tChina\tPRC\tChinese|Sino-\tBeijing\t\tSouth China Sea
GEO\tGeorgia\t\tGeorgian\tTbilisi\tGeorgia
GMB\tGambia\tthe Gambia\tGambian\tBanjul\t
JOR\tJordan\t\tJordanian\tAmman\tJordan
JPN\tJapan\t\tJapanese\tTokyo\t
NZL\tNew Zealand\t\tNew Zealander\tWellington\t
TCD\tChad\t\tChadian\tN'Djamena\tChad
MEX\tMexico\t\tMexican\tMexico City\t\tNew Mexico
TUR\tTurkey\tTürkiye\tTurkish\tAnkara\tTurkey
USA\tUnited States\tUS|U.S.\tAmerican\tWashington\tWashington
";
const ORGS: &str = "id\tname\taliases\tcountry\tkind\tshared_aliases
CHN_MFA\tMinistry of Foreign Affairs (China)\tChinese Foreign Ministry\tCHN\tministry\tForeign Ministry
JPN_MOFA\tMinistry of Foreign Affairs (Japan)\tMOFA Japan\tJPN\tministry\tForeign Ministry
NATO\tNorth Atlantic Treaty Organization\tNATO\t\tigo\t
";
const PEOPLE: &str = "id\tname\taliases\tcountry\trole\tstart\tend\tshort
sam-gee\tSam Gee\t\tJPN\tdefence_minister\t2010-01-01\t2012-12-31\t
sam-gee\tSam Gee\t\tUSA\thead_of_state\t2015-01-01\t\t
shinzo-abe\tShinzo Abe\t\tJPN\thead_of_government\t2012-12-26\t2020-09-16\t
xi-jinping\tXi Jinping\t\tCHN\thead_of_state\t2013-03-14\t\tXi
";
const GIVEN: &str = "name\nCorey\nMichael\nGeorge\nEdward\nChad\nJordan\n";

fn tagger() -> Tagger {
    let src =
        |p: &str, k, t: &str| SourceFile { path: p.into(), kind: k, text: t.into(), layer: 0 };
    let l = load_sources(&[
        src("countries.tsv", FileKind::Countries, COUNTRIES),
        src("organisations.tsv", FileKind::Organisations, ORGS),
        src("people.tsv", FileKind::People, PEOPLE),
        src("given_names.tsv", FileKind::GivenNames, GIVEN),
    ]);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    Tagger::new(l.gazetteer)
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// (TYPE, surface, code, country) of every mention.
fn tags_at(
    t: &Tagger,
    text: &str,
    dct: Option<NaiveDate>,
) -> Vec<(&'static str, String, String, String)> {
    let s = sentences(text);
    t.tag(text, &s, dct)
        .into_iter()
        .map(|m| {
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            (
                m.kind.as_str(),
                text[m.start..m.end].to_string(),
                m.code.into_owned(),
                m.country.into_owned(),
            )
        })
        .collect()
}

fn tags(t: &Tagger, text: &str) -> Vec<(&'static str, String, String)> {
    tags_at(t, text, date("2021-11-24")).into_iter().map(|(k, s, c, _)| (k, s, c)).collect()
}

fn owned(v: &[(&'static str, &str, &str)]) -> Vec<(&'static str, String, String)> {
    v.iter().map(|(k, s, c)| (*k, s.to_string(), c.to_string())).collect()
}

macro_rules! t {
    ($name:ident, $text:expr, [$(($k:expr, $s:expr, $c:expr)),* $(,)?]) => {
        #[test]
        fn $name() {
            let t = tagger();
            // The same text shifted by one byte must give the same tags.
            for prefix in ["", " "] {
                let text = format!("{prefix}{}", $text);
                assert_eq!(tags(&t, &text), owned(&[$(($k, $s, $c)),*]), "text: {text:?}");
            }
        }
    };
}

t!(
    bylines_start_their_line,
    "By Dana Whitlock\n\t Author: Rosa Merle in Tokyo.\nIt was written By Hal Ost.",
    [("PERSON", "Dana Whitlock", ""), ("PERSON", "Rosa Merle", ""), ("COUNTRY", "Tokyo", "JPN"),]
);
t!(
    bylines_on_the_last_line_and_after_blank_ones,
    "Talks went on.\n \t\n\nPosted by Ann Lee\nBy\nReported by Bo Weng",
    [("PERSON", "Ann Lee", ""), ("PERSON", "Bo Weng", ""),]
);
t!(
    boundary_filter_runs_before_overlaps_are_settled,
    "Officials of the Gambian government met.",
    [("COUNTRY", "Gambian", "GMB"),]
);
t!(whole_words_only, "Japanesque art in Chinatown and Japan.", [("COUNTRY", "Japan", "JPN")]);
t!(
    combining_forms_before_a_letter,
    "Sino-Japanese ties improved.",
    [("COUNTRY", "Sino-", "CHN"), ("COUNTRY", "Japanese", "JPN"),]
);
t!(
    georgia_the_country_with_support,
    "Georgia sent troops, Tbilisi said.",
    [("COUNTRY", "Georgia", "GEO"), ("COUNTRY", "Tbilisi", "GEO"),]
);
t!(
    georgia_the_us_state_is_not_a_country,
    "Officials of the state of Georgia met at Georgia Tech.",
    []
);
t!(
    jordan_the_player_is_a_person,
    "Michael Jordan scored twice.",
    [("PERSON", "Michael Jordan", "")]
);
t!(
    jordan_the_country_in_context,
    "Troops arrived in Jordan on Monday.",
    [("COUNTRY", "Jordan", "JOR")]
);
t!(
    chad_the_name_is_not_a_country,
    "Chad Smith said the talks failed.",
    [("PERSON", "Chad Smith", "")]
);
t!(chad_the_country_in_context, "France sent troops to Chad.", [("COUNTRY", "Chad", "TCD")]);
t!(turkey_the_bird_is_lower_case, "We ate turkey. Turkey said no.", [("COUNTRY", "Turkey", "TUR")]);
t!(
    washington_the_person_and_the_paper,
    "George Washington read the Washington Post in Tokyo.",
    [("PERSON", "George Washington", ""), ("COUNTRY", "Tokyo", "JPN"),]
);
t!(
    washington_the_government,
    "Tokyo and Washington agreed.",
    [("COUNTRY", "Tokyo", "JPN"), ("COUNTRY", "Washington", "USA"),]
);
t!(
    china_as_a_surname,
    "Edward China spoke in Beijing.",
    [("PERSON", "Edward China", ""), ("COUNTRY", "Beijing", "CHN"),]
);
t!(
    name_order_variants_and_surnames,
    "Abe Shinzo met Xi Jinping. Later Abe and Xi spoke.",
    [
        ("PERSON", "Abe Shinzo", "shinzo-abe"),
        ("PERSON", "Xi Jinping", "xi-jinping"),
        ("PERSON", "Abe", "shinzo-abe"),
        ("PERSON", "Xi", "xi-jinping"),
    ]
);
t!(
    surname_alone_needs_the_full_name_first,
    "Abe spoke. Shinzo Abe left.",
    [("PERSON", "Shinzo Abe", "shinzo-abe")]
);
t!(
    shared_names_resolve_by_country_prefix,
    "Japan's Foreign Ministry and the Chinese Foreign Ministry met.",
    [
        ("ORG", "Japan's Foreign Ministry", "JPN_MOFA"),
        ("ORG", "Chinese Foreign Ministry", "CHN_MFA"),
    ]
);
t!(
    shared_names_resolve_by_context,
    "China rejected it. The Foreign Ministry said so.",
    [("COUNTRY", "China", "CHN"), ("ORG", "Foreign Ministry", "CHN_MFA"),]
);
t!(
    unlisted_ministries_take_the_country_in_context,
    "New Zealand's Ministry of Research, Science and Technology hired him.",
    [("ORG", "New Zealand's Ministry of Research, Science and Technology", "")]
);
t!(unlisted_people_from_cues, "Reported by: Mara Ellison\nCorey Wallace joined NATO. \"Good,\" said Dana Whitcombe, a senior fellow.", [
    ("PERSON", "Mara Ellison", ""),
    ("PERSON", "Corey Wallace", ""),
    ("ORG", "NATO", "NATO"),
    ("PERSON", "Dana Whitcombe", ""),
]);

#[test]
fn roles_resolve_at_the_article_date() {
    let t = tagger();
    let at = |d| tags_at(&t, "Sam Gee spoke.", date(d))[0].3.clone();
    assert_eq!(at("2011-05-01"), "JPN");
    assert_eq!(at("2016-05-01"), "USA");
}

#[test]
fn unlisted_ministry_gets_its_country() {
    let t = tagger();
    let got =
        tags_at(&t, "New Zealand's Ministry of Research, Science and Technology hired him.", None);
    assert_eq!(got[0].3, "NZL");
}

t!(
    places_that_only_contain_a_country_name,
    "Ships sailed the South China Sea to New Mexico and Mexico.",
    [("COUNTRY", "Mexico", "MEX")]
);
t!(
    a_name_stops_before_a_month_abbreviation,
    "The board named Corey P. Wallace Feb. 1 as chairman.",
    [("PERSON", "Corey P. Wallace", "")]
);
