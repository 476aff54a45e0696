//! Rule-stage tests: every trigger's own example (from the lexicon), and
//! one test per assembly behaviour on sentences written here.

use chrono::NaiveDate;

use crate::dates::DateOptions;
use crate::pipeline::{analyse, DctSource, Resources};

fn resources() -> &'static Resources {
    static RES: std::sync::OnceLock<Resources> = std::sync::OnceLock::new();
    RES.get_or_init(|| Resources::load(&[], DateOptions::default()).expect("bundled resources").0)
}

/// "SRC CODE TGT date" of each event in `text`, in order.
fn code_at(text: &str, dct: &str) -> Vec<String> {
    let dct = NaiveDate::parse_from_str(dct, "%Y-%m-%d").ok();
    let a = analyse(text, resources(), dct, DctSource::Flag, None);
    a.events
        .iter()
        .map(|e| format!("{} {} {} {}", e.source_code, e.code, e.target_code, e.date))
        .collect()
}

/// "SRC CODE TGT" of each event, article date 2021-11-24.
fn code(text: &str) -> Vec<String> {
    code_at(text, "2021-11-24")
        .into_iter()
        .map(|s| s.rsplit_once(' ').unwrap().0.to_string())
        .collect()
}

#[test]
fn every_trigger_example_codes_as_written() {
    let res = resources();
    let mut failures = vec![];
    let mut checked = 0;
    for t in &res.coder.lexicon.triggers {
        let Some((sentence, want)) = t.example.split_once("=>") else { continue };
        checked += 1;
        let mut want: Vec<String> =
            want.split(';').map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
        want.retain(|w| !w.is_empty());
        want.sort();
        let mut got = code(sentence.trim());
        got.sort();
        got.dedup();
        if got != want {
            failures.push(format!(
                "{} ({}): {:?} => want {want:?}, got {got:?}",
                t.id,
                t.loc,
                sentence.trim()
            ));
        }
    }
    assert!(checked >= 100, "only {checked} examples");
    assert!(
        failures.is_empty(),
        "{} of {checked} examples fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn compound_subjects_and_reciprocal_triggers_give_both_directions() {
    assert_eq!(code("Japan and Vietnam signed a defence pact."), ["JPN 057 VNM", "VNM 057 JPN"]);
    assert_eq!(code("France signed a trade deal with Germany."), ["FRA 057 DEU", "DEU 057 FRA"]);
    assert_eq!(code("France and Germany criticised Russia."), ["FRA 111 RUS", "DEU 111 RUS"]);
}

#[test]
fn a_compound_is_not_paired_with_an_actor_after_a_purpose_clause() {
    assert_eq!(
        code("Japan and Vietnam signed a pact to counter China."),
        ["JPN 057 VNM", "VNM 057 JPN"]
    );
}

#[test]
fn passive_voice_swaps_source_and_target() {
    assert_eq!(code("NATO was criticised by China."), ["CHN 111 NATO"]);
}

#[test]
fn possessives_and_appositions_resolve_to_the_country() {
    assert_eq!(code("Japan's Defence Minister Nobuo Kishi criticised China."), ["JPN 111 CHN"]);
    assert_eq!(
        code("Zhao Lijian, the spokesman of the Chinese Foreign Ministry, criticised NATO."),
        ["CHN 111 NATO"]
    );
}

#[test]
fn future_and_intention_become_intent_codes() {
    assert_eq!(code("Japan will meet Vietnam."), ["JPN 036 VNM", "VNM 036 JPN"]);
    assert_eq!(code("Japan plans to sign a pact with Vietnam."), ["JPN 030 VNM", "VNM 030 JPN"]);
}

#[test]
fn negation_drops_the_act_and_refusal_is_coded() {
    assert_eq!(code("France did not sign the pact with Germany."), Vec::<String>::new());
    assert_eq!(code("Russia refused to meet Ukraine."), ["RUS 125 UKR"]);
}

#[test]
fn events_take_the_nearest_date_else_the_article_date() {
    assert_eq!(
        code_at("On Tuesday Japan criticised China.", "2021-11-24"),
        ["JPN 111 CHN 2021-11-23"]
    );
    assert_eq!(code_at("Japan criticised China.", "2021-11-24"), ["JPN 111 CHN 2021-11-24"]);
}

#[test]
fn one_row_per_distinct_event_with_mentions() {
    let dct = NaiveDate::from_ymd_opt(2021, 11, 24);
    let text =
        "Japan criticised China. Later Japan criticised China again. Japan also criticised Russia.";
    let a = analyse(text, resources(), dct, DctSource::Flag, None);
    let got: Vec<(String, usize)> =
        a.events.iter().map(|e| (e.target_code.to_string(), e.mentions)).collect();
    assert_eq!(got, [("CHN".to_string(), 2), ("RUS".to_string(), 1)]);
}

#[test]
fn nothing_without_a_trigger_a_source_or_a_target() {
    assert!(code("Japan said China was important.").is_empty());
    assert!(code("Officials criticised the plan.").is_empty());
    assert!(code("Japan criticised the plan.").is_empty());
    assert!(code("Japan criticised Japan.").is_empty());
}

#[test]
fn hyphenated_pairs_before_a_meeting_are_both_sides() {
    assert_eq!(
        code("The inaugural ASEAN-Japan Defense Ministers' Informal Meeting was held."),
        ["ASEAN 040 JPN", "JPN 040 ASEAN"]
    );
}

#[test]
fn an_apposition_is_not_a_compound_subject() {
    assert_eq!(code("Jens Stoltenberg, the NATO chief, criticised Russia."), ["NATO 111 RUS"]);
}

#[test]
fn an_anaphoric_subject_is_the_topic_of_the_sentences_before() {
    assert_eq!(code("Japan announced a new plan. It later criticised China."), ["JPN 111 CHN"]);
    assert_eq!(
        code("On Monday, the Japanese Foreign Ministry issued a statement. The ministry criticised China."),
        ["JPN 111 CHN"]
    );
    // A pronoun with nothing before it is no actor.
    assert!(code("It criticised China.").is_empty());
}

#[test]
fn agent_nouns_before_from_or_in_act_for_their_country() {
    assert_eq!(code("Soldiers from Russia attacked Ukraine."), ["RUS 190 UKR"]);
    assert_eq!(code("Lawmakers in France criticised Russia."), ["FRA 111 RUS"]);
}

#[test]
fn a_target_in_the_phrase_after_the_preposition_and_a_list_in_apposition() {
    assert_eq!(
        code("Japan provided cyber defence for officials from six members of ASEAN – Vietnam, Laos and Cambodia."),
        ["JPN 072 VNM", "JPN 072 LAO", "JPN 072 KHM"]
    );
}

#[test]
fn reverse_codes_give_the_target_its_own_act() {
    assert_eq!(code("The French president visited Vietnam."), ["FRA 042 VNM", "VNM 043 FRA"]);
    assert_eq!(code("Vietnam will host the French president."), ["VNM 036 FRA", "FRA 036 VNM"]);
}

#[test]
fn a_compound_acting_on_its_own_ties_acts_on_each_other() {
    assert_eq!(code("France and Germany cut ties."), ["FRA 161 DEU", "DEU 161 FRA"]);
}

#[test]
fn a_scheduling_sentence_dates_the_meeting_reported_before() {
    let mut got = code_at(
        "Japan will host a summit with Vietnam. The summit will take place on November 7.",
        "2021-11-01",
    );
    got.sort();
    assert_eq!(got, ["JPN 036 VNM 2021-11-07", "VNM 036 JPN 2021-11-07"]);
}

#[test]
fn an_undated_headline_takes_the_date_of_the_same_act_in_the_story() {
    let a = analyse(
        "Japan joined NATO\nOn November 4, Japan said it will join NATO.",
        resources(),
        None,
        DctSource::None,
        None,
    );
    let got: Vec<String> = a
        .events
        .iter()
        .map(|e| format!("{} {} {} {}", e.source_code, e.code, e.target_code, e.date))
        .collect();
    assert_eq!(got, ["JPN 060 NATO XXXX-11-04", "JPN 031 NATO XXXX-11-04"]);
}

/// "SRC:AGENT CODE TGT:AGENT" of each event, article date 2021-11-24.
fn code_agents(text: &str) -> Vec<String> {
    let dct = NaiveDate::from_ymd_opt(2021, 11, 24);
    let a = analyse(text, resources(), dct, DctSource::Flag, None);
    a.events
        .iter()
        .map(|e| {
            format!(
                "{}:{} {} {}:{}",
                e.source_code, e.source_agent, e.code, e.target_code, e.target_agent
            )
        })
        .collect()
}

#[test]
fn agents_come_from_phrases_around_the_actor() {
    // After the actor, after a possessive, and before it through "from".
    assert_eq!(
        code_agents("The Chinese coast guard criticised Japanese fishermen."),
        vec!["CHN:COP 111 JPN:AGR"]
    );
    assert_eq!(
        code_agents("Japan's defence ministry criticised the Chinese navy."),
        vec!["JPN:GOVMIL 111 CHN:MIL"]
    );
    assert_eq!(
        code_agents("Soldiers from Ukraine attacked Russian troops."),
        vec!["UKR:MIL 190 RUS:MIL"]
    );
    // The longest phrase wins: "opposition leader", not "leader".
    assert_eq!(
        code_agents("The Venezuelan opposition leader criticised Cuba."),
        vec!["VEN:OPP 111 CUB:"]
    );
}

#[test]
fn agents_come_from_what_the_entity_is() {
    // A person holding a national office is GOV, a defence minister GOVMIL
    // (both were in 2021); a country alone has no agent, nor an
    // international organisation.
    let people = code_agents("Nobuo Kishi met Phan Van Giang in Hanoi.");
    assert_eq!(people, vec!["JPN:GOVMIL 040 VNM:GOVMIL", "VNM:GOVMIL 040 JPN:GOVMIL"]);
    let pm = code_agents("Fumio Kishida criticised the Chinese coast guard.");
    assert_eq!(pm, vec!["JPN:GOV 111 CHN:COP"]);
    assert_eq!(code_agents("NATO condemned Russia."), vec!["NATO: 111 RUS:"]);
}

#[test]
fn an_agent_phrase_opening_the_clause_makes_its_country_the_subject() {
    // "in Egypt" after "Human rights groups" is who acted, not a place.
    assert_eq!(
        code_agents("Human rights groups in Egypt criticised Israel."),
        vec!["EGY:NGO 111 ISR:"]
    );
    // Deeper in the clause the actor stays a prepositional object.
    assert_eq!(
        code_agents(
            "Israel said on Monday that the statement by rights groups in Egypt was false."
        ),
        Vec::<String>::new()
    );
}

#[test]
fn words_are_lower_case_slices_of_one_buffer_with_their_offsets() {
    let text = "Xx. Japan's U.S.-backed PLAN, (NATO) – ÜBER’S 5-4 end.";
    let span = crate::text::Span { start: 4, end: text.len() };
    let mut buf = String::new();
    let ws = super::words(text, span, &mut buf);
    let lower: Vec<&str> = ws.iter().map(|w| w.lower).collect();
    assert_eq!(
        lower,
        ["japan's", "u.s", "backed", "plan", ",", "(", "nato", ")", "–", "über's", "5-4", "end"]
    );
    let puncts: Vec<bool> = ws.iter().map(|w| w.punct).collect();
    assert_eq!(puncts.iter().filter(|p| **p).count(), 4);
    assert!(ws.iter().all(|w| w.punct != w.lower.chars().next().unwrap().is_alphanumeric()));
    for w in &ws {
        let original = &text[w.start..w.end];
        assert_eq!(original.to_lowercase().replace('’', "'"), w.lower, "{original}");
    }
}

#[test]
fn ascii_words_are_slices_of_the_lower_cased_sentence() {
    let text = "Xx. Japan's U.S.-backed  PLAN, (NATO); 5-4 end.";
    let span = crate::text::Span { start: 4, end: text.len() };
    let mut buf = String::new();
    let ws = super::words(text, span, &mut buf);
    let lower: Vec<&str> = ws.iter().map(|w| w.lower).collect();
    assert_eq!(
        lower,
        ["japan's", "u.s", "backed", "plan", ",", "(", "nato", ")", ";", "5-4", "end"]
    );
    let puncts: Vec<bool> = ws.iter().map(|w| w.punct).collect();
    assert_eq!(puncts.iter().filter(|p| **p).count(), 4);
    for w in &ws {
        assert_eq!(text[w.start..w.end].to_ascii_lowercase(), w.lower);
    }
}

proptest::proptest! {
    #[test]
    fn ascii_tokens_are_tokens(text in "[a-zA-Z0-9 '.,;:()\\-!?\"/_\t]{0,60}") {
        let mut fast = vec![];
        super::ascii_tokens(text.as_bytes(), |s, e, p| fast.push((s, e, p)));
        let general: Vec<(usize, usize, bool)> = super::tokens(&text).collect();
        proptest::prop_assert_eq!(fast, general);
    }
}

/// The actor groups as the rule stage first built them, one `Vec` each
/// (with the same test of two neighbours, [`super::joins`]): the reference
/// for [`super::groups`], which returns runs of `actors`.
fn groups_by_vectors(ws: &[super::Word], actors: &[super::Actor]) -> Vec<Vec<(usize, usize)>> {
    let mut out: Vec<(Vec<&super::Actor>, bool)> = vec![];
    for a in actors {
        if let Some((g, conj)) = out.last_mut() {
            if let Some(c) = super::joins(ws, g.last().unwrap(), a) {
                g.push(a);
                *conj |= c;
                continue;
            }
        }
        out.push((vec![a], false));
    }
    let span = |a: &&super::Actor| (a.first, a.last);
    out.into_iter()
        .flat_map(|(g, conj)| {
            if conj {
                vec![g.iter().map(span).collect()]
            } else {
                g.iter().map(|a| vec![span(a)]).collect()
            }
        })
        .collect()
}

proptest::proptest! {
    /// Actors over a sentence of joining words and others: each step is
    /// (words between this actor and the last, its length, whether it
    /// shares the last one's final word as in "ASEAN-Japan").
    #[test]
    fn groups_are_the_vector_groups(
        words in proptest::collection::vec(0usize..6, 40),
        steps in proptest::collection::vec((0usize..4, 0usize..3, proptest::bool::weighted(0.15)), 0..8),
    ) {
        const VOCAB: [&str; 6] = [",", "and", "&", "the", "or", "x"];
        let ws: Vec<super::Word> = words
            .iter()
            .map(|&i| super::Word { start: 0, end: 0, lower: VOCAB[i], punct: false })
            .collect();
        let mut actors: Vec<super::Actor> = vec![];
        let mut next = 0;
        for (gap, len, shared) in steps {
            let first = match actors.last() {
                Some(p) if shared => p.last,
                _ => next + gap,
            };
            let last = first + len;
            if last >= ws.len() {
                break;
            }
            actors.push(super::Actor { first, last, code: "X", name: "", agent: "", led: false });
            next = last + 1;
        }
        let got: Vec<Vec<(usize, usize)>> = super::groups(&ws, &actors)
            .iter()
            .map(|g| g.iter().map(|a| (a.first, a.last)).collect())
            .collect();
        proptest::prop_assert_eq!(got, groups_by_vectors(&ws, &actors));
    }
}
