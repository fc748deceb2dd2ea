//! Every example of the guide (`docs/*.md`) and of README.md runs, so the book
//! cannot rot (just's `tests/readme.rs` idea):
//!
//! - ```` ```yaml,config ```` is a whole `dynroute.yaml`: it loads with the
//!   repository's templates and `dynroute render main` succeeds;
//! - ```` ```yaml,config-fragment ```` replaces the keys it names in the
//!   repository's `dynroute.yaml`, which then loads and renders;
//! - ```` ```yaml,template ```` renders as the template of service `api`;
//! - ```` ```yaml,invalid ```` (a fragment) must be refused with exit 2, and the
//!   error must contain the first line of the ```` ```text,error ```` block after it;
//! - ```` ```yaml,example ```` is YAML that is not dynroute's (workflows, Traefik);
//! - every `dynroute …` line of a shell block parses with the real clap definition.
//!
//! A ```` ```yaml ```` block without one of these tags fails the test, and so does
//! a fence without an info string.

use std::path::{Path, PathBuf};

use clap::Parser;

use crate::harness::{Project, repo_root};

/// One fenced block.
#[derive(Debug, Clone)]
struct Block {
    file: String,
    line: usize,
    info: String,
    text: String,
}

/// The fenced blocks of a Markdown text, in order.
fn blocks(file: &str, markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String, String, usize)> = None; // line, indent, info, fence len
    let mut text = String::new();
    for (n, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let fence_len = trimmed.chars().take_while(|c| *c == '`').count();
        match &open {
            None if fence_len >= 3 => {
                open = Some((
                    n + 1,
                    indent.to_owned(),
                    trimmed[fence_len..].trim().to_owned(),
                    fence_len,
                ));
                text.clear();
            }
            None => {}
            Some((start, indent, info, len)) => {
                if fence_len >= *len && trimmed[fence_len..].trim().is_empty() {
                    out.push(Block {
                        file: file.to_owned(),
                        line: *start,
                        info: info.clone(),
                        text: std::mem::take(&mut text),
                    });
                    open = None;
                } else {
                    text.push_str(line.strip_prefix(indent.as_str()).unwrap_or(line));
                    text.push('\n');
                }
            }
        }
    }
    out
}

/// What the checker did.
#[derive(Debug, Default)]
struct Tally {
    config: usize,
    fragment: usize,
    template: usize,
    invalid: usize,
    not_executed: usize,
    command_lines: usize,
    failures: Vec<String>,
}

impl Tally {
    fn executed(&self) -> usize {
        self.config + self.fragment + self.template + self.invalid + self.command_lines
    }
}

/// The repository's `dynroute.yaml` with `fragment`'s top-level keys in place.
fn merged(fragment: &str) -> Result<String, String> {
    let base = std::fs::read_to_string(repo_root().join("dynroute.yaml")).unwrap();
    let mut base: serde_yaml::Mapping = serde_yaml::from_str(&base).unwrap();
    let fragment: serde_yaml::Mapping =
        serde_yaml::from_str(fragment).map_err(|e| format!("not a YAML mapping: {e}"))?;
    for (k, v) in fragment {
        base.insert(k, v);
    }
    Ok(serde_yaml::to_string(&base).unwrap())
}

fn render(config: &str, template: Option<&str>) -> crate::harness::Output {
    let mut p = Project::example().file("dynroute.yaml", config);
    if let Some(t) = template {
        p = p.file("templates/api.yaml", t);
    }
    let args: &[&str] = if template.is_some() {
        &["render", "main", "-s", "api"]
    } else {
        &["render", "main"]
    };
    p.run(args)
}

/// Shell words of one command line: quotes removed, `$VAR`s replaced by a value
/// the flag before them accepts.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut had_var = false;
    let flush =
        |word: &mut String, in_word: &mut bool, had_var: &mut bool, words: &mut Vec<String>| {
            if *in_word {
                let w = std::mem::take(word);
                words.push(if *had_var { format!("${w}") } else { w });
            }
            *in_word = false;
            *had_var = false;
        };
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), '$') | (None, '$') => {
                had_var = true;
                in_word = true;
                word.push(c);
            }
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                flush(&mut word, &mut in_word, &mut had_var, &mut words)
            }
            (None, c) => {
                in_word = true;
                word.push(c);
            }
        }
    }
    flush(&mut word, &mut in_word, &mut had_var, &mut words);
    // A word with a shell variable stands for a value its flag accepts.
    let mut out = Vec::new();
    for w in words {
        let value = match w.strip_prefix('$') {
            None => w,
            Some(_) => match out.last().map(String::as_str) {
                Some("--ttl") => "72h".into(),
                Some("--timeout" | "--since" | "--poll-interval") => "10m".into(),
                Some("--pin") => "api=feature-1".into(),
                Some("--set") => "key=value".into(),
                Some("--port") => "8080".into(),
                Some("--traefik-api") => "http://127.0.0.1:8080".into(),
                _ => "feature-1".into(),
            },
        };
        out.push(value);
    }
    out
}

/// The `dynroute …` command lines of a shell block (continuations joined;
/// prompts, comments, pipes and redirections cut off).
fn command_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut joined = String::new();
    let mut first = 0;
    for (n, line) in text.lines().enumerate() {
        if joined.is_empty() {
            first = n;
        }
        match line.strip_suffix('\\') {
            Some(head) => {
                joined.push_str(head);
                joined.push(' ');
                continue;
            }
            None => joined.push_str(line),
        }
        let line = std::mem::take(&mut joined);
        let line = line.trim().trim_start_matches("$ ").trim();
        let Some(rest) = line.strip_prefix("dynroute ") else {
            continue;
        };
        // Cut at a comment, a pipe, a list operator or a redirection outside quotes.
        let mut end = rest.len();
        let mut quote = None;
        for (i, c) in rest.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (None, '\'' | '"') => quote = Some(c),
                (None, '#') if rest[..i].ends_with(' ') => {
                    end = i;
                    break;
                }
                (None, '|' | ';' | '>' | '&') => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        out.push((first + 1, rest[..end].trim().to_owned()));
    }
    out
}

/// An error line without its `dynroute.yaml:LINE:COL: ` prefix: the example is
/// merged into another file, so only the message is compared.
fn without_location(line: &str) -> String {
    match line.split_once(": ") {
        Some((location, rest))
            if location.contains("dynroute.yaml")
                && location
                    .split(':')
                    .skip(1)
                    .all(|n| n.parse::<u32>().is_ok()) =>
        {
            rest.to_owned()
        }
        _ => line.to_owned(),
    }
}

fn check_blocks(blocks: &[Block], tally: &mut Tally) {
    for (i, b) in blocks.iter().enumerate() {
        let at = format!("{}:{}", b.file, b.line);
        let mut tags = b.info.split(',').map(str::trim);
        let lang = tags.next().unwrap_or_default();
        let tag = tags.next().unwrap_or_default();
        match (lang, tag) {
            ("", _) => tally
                .failures
                .push(format!("{at}: a fence without an info string (```text, ```sh, ```yaml,config, ...)")),
            ("yaml", "config") => {
                tally.config += 1;
                let out = render(&b.text, None);
                if out.code != 0 {
                    tally.failures.push(format!("{at}: yaml,config does not render:\n{}", out.stderr));
                }
            }
            ("yaml", "config-fragment") => {
                tally.fragment += 1;
                match merged(&b.text) {
                    Ok(config) => {
                        let out = render(&config, None);
                        if out.code != 0 {
                            tally.failures.push(format!(
                                "{at}: yaml,config-fragment does not render in the example config:\n{}",
                                out.stderr
                            ));
                        }
                    }
                    Err(e) => tally.failures.push(format!("{at}: {e}")),
                }
            }
            ("yaml", "template") => {
                tally.template += 1;
                let base = std::fs::read_to_string(repo_root().join("dynroute.yaml")).unwrap();
                let out = render(&base, Some(&b.text));
                if out.code != 0 {
                    tally
                        .failures
                        .push(format!("{at}: yaml,template does not render as api's template:\n{}", out.stderr));
                }
            }
            ("yaml", "invalid") => {
                tally.invalid += 1;
                let expected = blocks
                    .get(i + 1)
                    .filter(|n| n.info == "text,error")
                    .and_then(|n| n.text.lines().next())
                    .map(|l| without_location(l.trim_start_matches("error: ").trim()));
                let Some(expected) = expected else {
                    tally
                        .failures
                        .push(format!("{at}: yaml,invalid needs the error it gets in a ```text,error block right after it"));
                    continue;
                };
                let out = match merged(&b.text) {
                    Ok(config) => render(&config, None),
                    Err(e) => {
                        tally.failures.push(format!("{at}: {e}"));
                        continue;
                    }
                };
                if out.code != 2 || !out.stderr.contains(&expected) {
                    tally.failures.push(format!(
                        "{at}: yaml,invalid should fail with {expected:?}; got exit {}:\n{}",
                        out.code, out.stderr
                    ));
                }
            }
            ("yaml", "example") => tally.not_executed += 1,
            ("yaml", other) => tally.failures.push(format!(
                "{at}: yaml block tagged {other:?}: tag it yaml,config / yaml,config-fragment / yaml,template / yaml,invalid / yaml,example"
            )),
            ("sh" | "console" | "bash" | "shell", _) => {
                for (line, args) in command_lines(&b.text) {
                    tally.command_lines += 1;
                    let mut argv = vec!["dynroute".to_owned()];
                    argv.extend(shell_words(&args));
                    match dynroute::cli::Cli::try_parse_from(&argv) {
                        Ok(_) => {}
                        Err(e)
                            if matches!(
                                e.kind(),
                                clap::error::ErrorKind::DisplayHelp
                                    | clap::error::ErrorKind::DisplayVersion
                            ) => {}
                        Err(e) => tally.failures.push(format!(
                            "{}:{}: `dynroute {args}` does not parse: {e}",
                            b.file,
                            b.line + line
                        )),
                    }
                }
            }
            _ => tally.not_executed += 1,
        }
    }
}

fn book_files() -> Vec<PathBuf> {
    let mut files = vec![repo_root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(repo_root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(repo_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_example_of_the_book_and_the_readme_runs() {
    let mut tally = Tally::default();
    let files = book_files();
    assert!(files.len() > 10, "the guide's chapters: {files:?}");
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        check_blocks(&blocks(&relative(file), &text), &mut tally);
    }
    println!(
        "book: {} examples checked in {} files: {} yaml,config, {} yaml,config-fragment, {} yaml,template, {} yaml,invalid, {} dynroute command lines; {} blocks not executed (other languages, yaml,example)",
        tally.executed(),
        files.len(),
        tally.config,
        tally.fragment,
        tally.template,
        tally.invalid,
        tally.command_lines,
        tally.not_executed
    );
    assert!(
        tally.failures.is_empty(),
        "{} example(s) of the book fail:\n\n{}",
        tally.failures.len(),
        tally.failures.join("\n\n")
    );
    assert!(
        tally.fragment + tally.config > 5 && tally.command_lines > 20,
        "{tally:?}"
    );
}

#[test]
fn a_planted_broken_example_fails_the_book_test() {
    let planted = "\
Intro.

```yaml
cluster: dev
```

```yaml,config-fragment
ttl: soon
```

```yaml,invalid
ttl: [72h]
```

```text,error
error: dynroute.yaml:7:6: ttl: invalid type: sequence
```

```sh
dynroute up Feature_1
dynroute ls --json | jq .   # fine
```

```
no info string
```
";
    let mut tally = Tally::default();
    check_blocks(&blocks("planted.md", planted), &mut tally);
    let failures = tally.failures.join("\n");
    assert_eq!(tally.failures.len(), 4, "{failures}");
    assert!(
        failures.contains("planted.md:3: yaml block tagged \"\""),
        "{failures}"
    );
    assert!(
        failures.contains("planted.md:7: yaml,config-fragment does not render"),
        "{failures}"
    );
    assert!(
        failures.contains("`dynroute up Feature_1` does not parse"),
        "{failures}"
    );
    assert!(
        failures.contains("a fence without an info string"),
        "{failures}"
    );
    // The invalid example fails as its text says, and `ls --json` parses.
    assert_eq!((tally.invalid, tally.command_lines), (1, 2));
}

#[test]
fn shell_lines_are_split_like_a_shell() {
    assert_eq!(
        command_lines(
            "$ dynroute up \\\n  feature-1 --ttl \"$TTL\" # deploy\nls\ndynroute ls | head"
        ),
        [
            (1, "up    feature-1 --ttl \"$TTL\"".to_owned()),
            (4, "ls".to_owned())
        ]
    );
    assert_eq!(
        shell_words("up \"$VERSION\" --ttl $TTL --set 'a=b c'"),
        ["up", "feature-1", "--ttl", "72h", "--set", "a=b c"]
    );
}
