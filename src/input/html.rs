//! Saved web pages: turns an HTML page into the article's plain text plus
//! the page's metadata (title, URL, publication date).
//!
//! Why it is its own module: a saved news page is mostly not the article.
//! Scripts, styles, menus, cookie banners, share buttons and "related
//! stories" would otherwise be tagged as if the journalist wrote them, and
//! the publication date sits in metadata, not in the text. This module
//! decides what counts as the article; everything downstream sees only
//! the extracted text, so entity offsets refer to that text.
//!
//! How: the page is parsed with `scraper` (html5ever, the browsers'
//! parsing algorithm, so broken markup parses as a browser would). The
//! content root is the largest `<article>`, else `<main>`/`[role=main]`,
//! else `<body>`. Inside it, boilerplate elements (by tag, ARIA role or a
//! boilerplate word in their `id`/`class`) are dropped; every paragraph,
//! heading, list item or other block becomes one paragraph of the output,
//! separated by a blank line, with whitespace collapsed. When the root
//! holds no `<h1>`, the page's `<h1>` (the headline) is put first.

use std::sync::LazyLock;

use chrono::NaiveDate;
use scraper::node::Node;
use scraper::{ElementRef, Html, Selector};

use super::parse_published;

/// What a page yields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The article's text: paragraphs and headings, one per block,
    /// separated by blank lines.
    pub text: String,
    pub title: String,
    pub url: String,
    /// From `article:published_time`, JSON-LD `datePublished` or `<time datetime>`.
    pub published: Option<NaiveDate>,
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

static ARTICLE: LazyLock<Selector> = LazyLock::new(|| sel("article"));
static MAIN: LazyLock<Selector> = LazyLock::new(|| sel("main, [role=main]"));
static BODY: LazyLock<Selector> = LazyLock::new(|| sel("body"));
static H1: LazyLock<Selector> = LazyLock::new(|| sel("h1"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| sel("title"));
static META: LazyLock<Selector> = LazyLock::new(|| sel("meta[content]"));
static CANONICAL: LazyLock<Selector> = LazyLock::new(|| sel("link[rel~=canonical][href]"));
static TIME: LazyLock<Selector> = LazyLock::new(|| sel("time[datetime]"));
static ITEMPROP_DATE: LazyLock<Selector> = LazyLock::new(|| sel("[itemprop=datePublished]"));
static JSON_LD: LazyLock<Selector> = LazyLock::new(|| sel(r#"script[type="application/ld+json"]"#));

/// Extracts the article and metadata from an HTML page.
pub fn extract(html: &str) -> Page {
    let doc = Html::parse_document(html);
    let ld = json_ld(&doc);
    Page {
        text: article_text(&doc),
        title: title(&doc, &ld),
        url: url(&doc, &ld),
        published: published(&doc, &ld),
    }
}

/// `<meta>` content by `property` or `name` (case-insensitive), first wins.
fn meta<'a>(doc: &'a Html, keys: &[&str]) -> Option<&'a str> {
    for key in keys {
        for m in doc.select(&META) {
            let e = m.value();
            let k = e.attr("property").or_else(|| e.attr("name")).or_else(|| e.attr("itemprop"));
            if k.is_some_and(|k| k.eq_ignore_ascii_case(key)) {
                let v = e.attr("content").unwrap_or("").trim();
                if !v.is_empty() {
                    return Some(v);
                }
            }
        }
    }
    None
}

fn title(doc: &Html, ld: &[serde_json::Value]) -> String {
    if let Some(t) = meta(doc, &["og:title", "twitter:title"]) {
        return collapse(t);
    }
    if let Some(t) = ld_string(ld, &["headline", "name"]) {
        return collapse(&t);
    }
    doc.select(&TITLE).next().map(|t| collapse(&t.text().collect::<String>())).unwrap_or_default()
}

fn url(doc: &Html, ld: &[serde_json::Value]) -> String {
    if let Some(u) = doc.select(&CANONICAL).next().and_then(|l| l.value().attr("href")) {
        return u.trim().to_string();
    }
    if let Some(u) = meta(doc, &["og:url", "twitter:url"]) {
        return u.to_string();
    }
    ld_string(ld, &["url"]).unwrap_or_default()
}

/// The publication date: `article:published_time` (and its common
/// synonyms), then JSON-LD `datePublished`, then `itemprop=datePublished`,
/// then the first `<time datetime>`.
fn published(doc: &Html, ld: &[serde_json::Value]) -> Option<NaiveDate> {
    let metas = [
        "article:published_time",
        "og:published_time",
        "datePublished",
        "pubdate",
        "publishdate",
        "dc.date.issued",
        "dcterms.created",
        "date",
    ];
    if let Some(d) = meta(doc, &metas).and_then(parse_published) {
        return Some(d);
    }
    if let Some(d) = ld_string(ld, &["datePublished"]).as_deref().and_then(parse_published) {
        return Some(d);
    }
    for e in doc.select(&ITEMPROP_DATE) {
        let v = e.value().attr("datetime").or_else(|| e.value().attr("content"));
        if let Some(d) = v.and_then(parse_published) {
            return Some(d);
        }
    }
    doc.select(&TIME).find_map(|t| t.value().attr("datetime").and_then(parse_published))
}

/// Every JSON-LD object on the page, with `@graph` and arrays flattened.
fn json_ld(doc: &Html) -> Vec<serde_json::Value> {
    let mut out = vec![];
    for script in doc.select(&JSON_LD) {
        let raw: String = script.text().collect();
        let Ok(v) = serde_json::from_str::<serde_json::Value>(raw.trim()) else { continue };
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Array(items) => stack.extend(items.into_iter().rev()),
                serde_json::Value::Object(mut o) => {
                    if let Some(g) = o.remove("@graph") {
                        stack.push(g);
                    }
                    out.push(serde_json::Value::Object(o));
                }
                _ => {}
            }
        }
    }
    // Article-like objects first, so their fields win over the site's.
    out.sort_by_key(|o| !is_article_type(o));
    out
}

fn is_article_type(o: &serde_json::Value) -> bool {
    let t = |s: &str| s.ends_with("Article") || s == "Report" || s == "BlogPosting";
    match o.get("@type") {
        Some(serde_json::Value::String(s)) => t(s),
        Some(serde_json::Value::Array(a)) => a.iter().any(|s| s.as_str().is_some_and(t)),
        _ => false,
    }
}

fn ld_string(ld: &[serde_json::Value], keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| {
        ld.iter().find_map(|o| match o.get(*k) {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
                Some(s.trim().to_string())
            }
            _ => None,
        })
    })
}

/// Elements whose whole subtree is never article text.
const DROP_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "aside", "footer", "form", "button", "input",
    "select", "textarea", "iframe", "object", "embed", "svg", "canvas", "video", "audio", "figure",
    "menu", "dialog", "head", "title", "meta", "link",
];

/// ARIA roles of boilerplate.
const DROP_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "dialog",
    "alertdialog",
    "search",
    "menu",
    "menubar",
];

/// Words in an `id` or `class` that mark boilerplate. Matched against
/// whole words of the attribute (split on space, `-` and `_`), so `ad`
/// matches `ad-slot` but not `header` or `download`.
const DROP_WORDS: &[&str] = &[
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "banner",
    "newsletter",
    "subscribe",
    "subscription",
    "share",
    "sharing",
    "social",
    "related",
    "recommended",
    "promo",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "sponsored",
    "comments",
    "comment",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "menu",
    "navbar",
    "nav",
    "popup",
    "modal",
    "paywall",
    "signup",
    "footer",
    "masthead",
    "toolbar",
    "skip",
    "visually",
    "sr",
];

/// Elements that start and end a paragraph of the output.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "address",
    "hr",
    "body",
    "center",
    "figcaption",
    "details",
    "summary",
];

fn is_boilerplate(e: &scraper::node::Element) -> bool {
    let name = e.name();
    if DROP_TAGS.contains(&name) {
        return true;
    }
    if e.attr("hidden").is_some()
        || e.attr("aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let s: String =
            style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    if e.attr("role").is_some_and(|r| DROP_ROLES.iter().any(|d| r.eq_ignore_ascii_case(d))) {
        return true;
    }
    let words = [e.attr("id"), e.attr("class")]
        .into_iter()
        .flatten()
        .flat_map(|v| v.split(|c: char| c.is_whitespace() || c == '-' || c == '_'))
        .map(str::to_ascii_lowercase)
        .any(|w| DROP_WORDS.contains(&w.as_str()));
    words
}

/// The element whose text is the article.
fn content_root(doc: &Html) -> Option<ElementRef<'_>> {
    let text_len = |e: &ElementRef| e.text().map(|t| t.trim().len()).sum::<usize>();
    let articles: Vec<ElementRef> = doc.select(&ARTICLE).filter(|e| !in_boilerplate(*e)).collect();
    if let Some(best) = articles.into_iter().max_by_key(text_len) {
        if text_len(&best) > 0 {
            return Some(best);
        }
    }
    if let Some(m) = doc.select(&MAIN).find(|e| !in_boilerplate(*e)) {
        return Some(m);
    }
    doc.select(&BODY).next()
}

/// Whether `e` or one of its ancestors is boilerplate.
fn in_boilerplate(e: ElementRef) -> bool {
    std::iter::once(*e)
        .chain(e.ancestors())
        .any(|n| n.value().as_element().is_some_and(is_boilerplate))
}

fn article_text(doc: &Html) -> String {
    let Some(root) = content_root(doc) else { return String::new() };
    let mut blocks: Vec<String> = vec![];
    let has_h1 = root.select(&H1).any(|h| !in_boilerplate(h));
    if !has_h1 {
        if let Some(h) = doc.select(&H1).find(|h| !in_boilerplate(*h)) {
            collect_blocks(h, &mut blocks);
        }
    }
    collect_blocks(root, &mut blocks);
    blocks.join("\n\n")
}

/// Walks `root` (without recursion, so deeply nested pages cannot
/// overflow the stack) and appends one string per block of text.
fn collect_blocks(root: ElementRef, blocks: &mut Vec<String>) {
    enum Step<'a> {
        Enter(ego_tree::NodeRef<'a, Node>),
        Leave { block: bool, pre: bool },
    }
    let mut current = String::new();
    let mut pre_depth = 0usize;
    let flush = |current: &mut String, blocks: &mut Vec<String>| {
        let para = current.trim();
        if !para.is_empty() {
            blocks.push(para.to_string());
        }
        current.clear();
    };
    let mut stack = vec![Step::Enter(*root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Leave { block, pre } => {
                if pre {
                    pre_depth -= 1;
                }
                if block {
                    flush(&mut current, blocks);
                }
            }
            Step::Enter(node) => match node.value() {
                Node::Text(t) => {
                    if pre_depth > 0 {
                        current.push_str(t);
                    } else {
                        push_collapsed(&mut current, t);
                    }
                }
                Node::Element(e) => {
                    if is_boilerplate(e) {
                        continue;
                    }
                    let name = e.name();
                    if name == "br" {
                        // A line break inside a paragraph ends a sentence
                        // for `text::sentences`, as it does for a reader.
                        while current.ends_with(' ') {
                            current.pop();
                        }
                        current.push('\n');
                        continue;
                    }
                    let block = BLOCK_TAGS.contains(&name);
                    let pre = name == "pre";
                    if block {
                        flush(&mut current, blocks);
                    }
                    if pre {
                        pre_depth += 1;
                    }
                    stack.push(Step::Leave { block, pre });
                    let children: Vec<_> = node.children().collect();
                    stack.extend(children.into_iter().rev().map(Step::Enter));
                }
                _ => {}
            },
        }
    }
    flush(&mut current, blocks);
}

/// Appends `t` with runs of whitespace made one space.
fn push_collapsed(out: &mut String, t: &str) {
    for (i, word) in t.split_whitespace().enumerate() {
        let space_before = i > 0 || t.starts_with(char::is_whitespace);
        if space_before && !out.is_empty() && !out.ends_with([' ', '\n']) {
            out.push(' ');
        }
        out.push_str(word);
    }
    if t.ends_with(char::is_whitespace) && !out.is_empty() && !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html>
<html><head>
  <title>Pact signed | Daily Planet</title>
  <meta property="og:title" content="Japan and Vietnam sign defence pact">
  <meta property="article:published_time" content="2021-11-23T08:15:00+07:00">
  <link rel="canonical" href="https://example.com/news/pact">
  <style>p { color: red }</style>
  <script>var x = "Japan attacked France";</script>
</head><body>
  <div id="cookie-banner">We use cookies. Accept all?</div>
  <header class="site-header"><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
  <h1>Japan and Vietnam sign   defence pact</h1>
  <article>
    <p>Japan and <b>Vietnam</b> signed a defence pact on Tuesday.</p>
    <div class="share-buttons">Share on Twitter</div>
    <h2>Reaction</h2>
    <p>China criticised the deal.<br>Officials said&nbsp;more.</p>
    <aside>Related: France and Germany argue</aside>
    <figure><img src="x.jpg"><figcaption>Photo: Reuters</figcaption></figure>
  </article>
  <footer>© Daily Planet</footer>
</body></html>"#;

    #[test]
    fn keeps_paragraphs_and_headings_and_drops_boilerplate() {
        let p = extract(PAGE);
        assert_eq!(
            p.text,
            "Japan and Vietnam sign defence pact\n\n\
             Japan and Vietnam signed a defence pact on Tuesday.\n\n\
             Reaction\n\n\
             China criticised the deal.\nOfficials said more."
        );
        assert_eq!(p.title, "Japan and Vietnam sign defence pact");
        assert_eq!(p.url, "https://example.com/news/pact");
        assert_eq!(p.published, NaiveDate::from_ymd_opt(2021, 11, 23));
    }

    #[test]
    fn dates_from_json_ld_and_time_elements() {
        let ld = r#"<html><head><script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Planet","url":"https://example.com"},
             {"@type":"NewsArticle","headline":"Talks in Hanoi","datePublished":"2019-03-04","url":"https://example.com/a"}]}
            </script></head><body><main><p>Text.</p></main></body></html>"#;
        let p = extract(ld);
        assert_eq!(p.published, NaiveDate::from_ymd_opt(2019, 3, 4));
        assert_eq!(
            (p.title.as_str(), p.url.as_str(), p.text.as_str()),
            ("Talks in Hanoi", "https://example.com/a", "Text.")
        );

        let time = r#"<body><p>By A. Writer, <time datetime="2013-05-06T10:00Z">May 6</time></p><p>Body.</p></body>"#;
        let p = extract(time);
        assert_eq!(p.published, NaiveDate::from_ymd_opt(2013, 5, 6));
        assert_eq!(p.text, "By A. Writer, May 6\n\nBody.");
        assert_eq!(extract("<p>No date</p>").published, None);
    }

    #[test]
    fn boilerplate_words_match_whole_words_only() {
        let p = extract(
            r#"<body><div class="article-header">Kept</div><div class="ad-slot">Buy</div><div class="download">Also kept</div></body>"#,
        );
        assert_eq!(p.text, "Kept\n\nAlso kept");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<div>".repeat(5_000) + "Deep text." + &"</div>".repeat(5_000);
        assert!(extract(&html).text.contains("Deep text."));
    }
}
