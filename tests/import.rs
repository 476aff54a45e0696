//! `gazette import cameo`: a CAMEO actor dictionary written by the test is
//! imported, the output passes `gazette check`, and `extract` resolves an
//! imported person to different countries at two article dates.

use std::fs;
use std::path::Path;

use crate::util::{gazette, read_csv};

/// Fictional actors: a country, a person whose codes change with the date
/// (with an inline restriction and a typo), an organisation.
const DICTIONARY: &str = "\
<!-- test dictionary -->
VELMORA_  [VLM]  # a country our gazetteer lacks
+VELMORAN_
KESTRELIA_ [KSL]
ODO_PELLAM_
+PELLAM_
\t[VLMGOV 20100101 - 20151231]
\t[KSLGOV >160101]
RENA_VOSS_\t[KSLMIL 2004017-20091231][IGOWSTNAT 20100101-20121231]
VELMORAN_TROOPS_ [VLMMIL]
";

fn people_at(gaz: &Path, dct: &str) -> Vec<(String, String)> {
    let art = tempfile::tempdir().unwrap();
    fs::write(art.path().join("a.txt"), "Odo Pellam met reporters in the capital.").unwrap();
    let out = art.path().join("out");
    let status = gazette()
        .args(["extract", "--quiet", "--dct", dct, "--gazetteers"])
        .arg(gaz)
        .arg("--out")
        .arg(&out)
        .arg(art.path().join("a.txt"))
        .status()
        .unwrap();
    assert!(status.success());
    read_csv(&out.join("entities.csv"))
        .into_iter()
        .filter(|r| r["type"] == "PERSON")
        .map(|r| (r["canonical"].clone(), r["country"].clone()))
        .collect()
}

#[test]
fn import_cameo_then_check_and_extract_by_date() {
    let dir = tempfile::tempdir().unwrap();
    let dict = dir.path().join("test.actors.txt");
    fs::write(&dict, DICTIONARY).unwrap();
    let gaz = dir.path().join("gaz");
    let out =
        gazette().args(["import", "cameo"]).arg(&dict).arg("--out").arg(&gaz).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let typo =
        format!("{}:9: warning: 7-digit date \"2004017\" read as 2004-01-07", dict.display());
    assert!(stderr.contains(&typo), "{stderr}");
    assert!(
        stderr.contains("imported 2 people (4 roles), 1 organisations, 2 countries"),
        "{stderr}"
    );

    let people = fs::read_to_string(gaz.join("people-imported.tsv")).unwrap();
    assert!(
        people.contains("odo-pellam\tOdo Pellam\tPellam\tVLM\tofficial\tGOV\t2010-01-01\t2015-12-31\tCAMEO VLMGOV, test.actors.txt:5\n"),
        "{people}"
    );
    let countries = fs::read_to_string(gaz.join("countries-imported.tsv")).unwrap();
    assert!(countries.contains("VLM\tVelmora\t\tVelmoran\t"), "{countries}");

    let check = gazette().arg("check").arg("--gazetteers").arg(&gaz).output().unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{stdout}");
    assert!(stdout.contains(" 0 error(s)"), "{stdout}");

    let pellam = |c: &str| vec![("Odo Pellam".to_string(), c.to_string())];
    assert_eq!(people_at(&gaz, "2012-06-01"), pellam("VLM"));
    assert_eq!(people_at(&gaz, "2018-06-01"), pellam("KSL"));
}

/// Fictional agents, with a substitution set and a prefix code.
const AGENTS: &str = "\
!WARDEN! = WARDEN, WARDENS, WARDENESS
HARBOUR_!WARDEN! [~COP]
DOCKWORKERS_UNION [~LAB] # plural made: unions
TIDE_WATCHERS_ {} [NGO~]
";

#[test]
fn import_agents_then_extract_codes_the_agents() {
    let dir = tempfile::tempdir().unwrap();
    let gaz = dir.path().join("gaz");
    for (name, text, kind) in
        [("test.actors.txt", DICTIONARY, "actors"), ("test.agents.txt", AGENTS, "agents")]
    {
        let dict = dir.path().join(name);
        fs::write(&dict, text).unwrap();
        let out = gazette()
            .args(["import", "cameo", "--kind", kind])
            .arg(&dict)
            .arg("--out")
            .arg(&gaz)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let agents = fs::read_to_string(gaz.join("agents-imported.tsv")).unwrap();
    assert!(
        agents.contains("harbour warden|harbour wardens|harbour wardeness\t~COP\t"),
        "{agents}"
    );
    assert!(agents.contains("dockworkers union|dockworkers unions\t~LAB\t"), "{agents}");
    assert!(agents.contains("tide watchers\tNGO~\t"), "{agents}");
    let check = gazette().arg("check").arg("--gazetteers").arg(&gaz).output().unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success() && stdout.contains(" 0 error(s)"), "{stdout}");

    let art = tempfile::tempdir().unwrap();
    fs::write(
        art.path().join("a.txt"),
        "Velmoran harbour wardens criticised Kestrelia. \
         Odo Pellam praised the dockworkers union of Kestrelia.",
    )
    .unwrap();
    let out = art.path().join("out");
    let status = gazette()
        .args(["extract", "--quiet", "--dct", "2012-06-01", "--gazetteers"])
        .arg(&gaz)
        .arg("--out")
        .arg(&out)
        .arg(art.path())
        .status()
        .unwrap();
    assert!(status.success());
    let events: Vec<String> = read_csv(&out.join("events.csv"))
        .into_iter()
        .map(|r| {
            let (s, sa, c) = (&r["source_code"], &r["source_agent"], &r["code"]);
            format!("{s}:{sa} {c} {}:{}", r["target_code"], r["target_agent"])
        })
        .collect();
    assert_eq!(events, ["VLM:COP 111 KSL:", "VLM:GOV 051 KSL:LAB"]);
}
