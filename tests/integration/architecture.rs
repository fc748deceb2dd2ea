//! The layer rule of `docs/ARCHITECTURE.md`, kept by a test (ArchUnit's idea):
//! every module-to-module edge of production code — `crate::`, `super::` and
//! `self::` paths in `use` lines, in expressions and inside macro calls — goes
//! down the layer table or stays in its row, and no group of sibling modules
//! forms a cycle. The table is written twice on purpose, here and in the doc,
//! and the test fails when the two differ, so neither can drift.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

use crate::harness::repo_root;

/// The layers, from the top (the entry) down to the foundation. A module may
/// use the modules of its own row (without a cycle) and of every row below it.
/// `root` is `lib.rs` and `main.rs`.
const LAYERS: &[(&str, &[&str])] = &[
    ("entry", &["root"]),
    ("commands", &["commands"]),
    ("catalog", &["catalog"]),
    ("settings", &["settings"]),
    ("arguments", &["cli"]),
    ("reports", &["report"]),
    ("diagnosis", &["doctor"]),
    ("AWS", &["aws"]),
    ("routing proof", &["check"]),
    ("terminal", &["ui"]),
    ("engine", &["engine"]),
    ("ECS domain", &["ecs"]),
    ("task definitions", &["taskdef"]),
    ("configuration", &["config"]),
    ("routing", &["routing"]),
    ("templates", &["template"]),
    ("names", &["naming"]),
    ("TLS roots", &["tls"]),
    ("files", &["files"]),
    ("errors", &["error"]),
];

/// A module path below the crate root: `["engine", "plan"]`; `[]` is the root.
type ModPath = Vec<String>;

/// One production module and the file (or inline block) it lives in.
struct Module {
    path: ModPath,
    file: PathBuf,
}

/// An edge from the module whose code names a path to the module it names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    from: ModPath,
    to: ModPath,
    file: PathBuf,
}

/// What the checker found: the counts it checked and every violation.
#[derive(Debug, Default)]
pub struct Verdict {
    pub layers: usize,
    pub modules: usize,
    pub edges: usize,
    pub violations: Vec<String>,
}

/// Reads the production module tree from `src/lib.rs` (and `src/main.rs`) of
/// `root`, skipping `#[cfg(test)]` modules, and checks it against `layers`.
pub fn check_tree(root: &Path, layers: &[(&str, &[&str])]) -> Verdict {
    let mut tree = Tree {
        root: root.to_owned(),
        ..Tree::default()
    };
    tree.load_file(&root.join("src/lib.rs"), Vec::new(), &root.join("src"));
    if root.join("src/main.rs").exists() {
        let file = root.join("src/main.rs");
        let ast = parse(&file);
        let mut walker = Walker::new(&mut tree, Vec::new(), &file, true);
        walker.visit_file(&ast);
    }
    tree.verdict(layers)
}

#[derive(Default)]
struct Tree {
    /// The repository, for file names in messages.
    root: PathBuf,
    modules: Vec<Module>,
    /// `(module, item name)` → the child module a `pub use` re-exports it from.
    reexports: BTreeMap<(ModPath, String), ModPath>,
    /// Paths named by code: (module, file, absolute path segments).
    named: Vec<(ModPath, PathBuf, Vec<String>)>,
}

fn parse(file: &Path) -> syn::File {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("cannot parse {}: {e}", file.display()))
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta
                .require_list()
                .is_ok_and(|l| l.tokens.to_string().split_whitespace().next() == Some("test"))
    })
}

impl Tree {
    /// Loads the module `path` from `file`, whose child modules live in `dir`.
    fn load_file(&mut self, file: &Path, path: ModPath, dir: &Path) {
        let ast = parse(file);
        self.modules.push(Module {
            path: path.clone(),
            file: file.to_owned(),
        });
        self.load_items(&ast.items, &path, file, dir);
        let mut walker = Walker::new(self, path, file, false);
        for item in &ast.items {
            walker.visit_item(item);
        }
    }

    fn load_items(&mut self, items: &[syn::Item], path: &ModPath, file: &Path, dir: &Path) {
        for item in items {
            match item {
                syn::Item::Mod(m) if !is_cfg_test(&m.attrs) => {
                    assert!(
                        !m.attrs.iter().any(|a| a.path().is_ident("path")),
                        "{}: `#[path]` on mod {}: use the one module layout (dir/mod.rs)",
                        file.display(),
                        m.ident
                    );
                    let mut child = path.clone();
                    child.push(m.ident.to_string());
                    match &m.content {
                        Some((_, inner)) => {
                            self.modules.push(Module {
                                path: child.clone(),
                                file: file.to_owned(),
                            });
                            self.load_items(inner, &child, file, &dir.join(m.ident.to_string()));
                            let mut walker = Walker::new(self, child, file, false);
                            for item in inner {
                                walker.visit_item(item);
                            }
                        }
                        None => {
                            let name = m.ident.to_string();
                            let flat = dir.join(format!("{name}.rs"));
                            let nested = dir.join(&name).join("mod.rs");
                            let (found, child_dir) = if nested.exists() {
                                (nested, dir.join(&name))
                            } else if flat.exists() {
                                (flat, dir.join(&name))
                            } else {
                                panic!("{}: mod {name}: no file", file.display())
                            };
                            self.load_file(&found, child, &child_dir);
                        }
                    }
                }
                syn::Item::Use(u) if is_public(&u.vis) => {
                    for (segments, name) in flatten_use(&u.tree) {
                        if let Some(first) = segments.first() {
                            let child = match first.as_str() {
                                "self" => segments.get(1).cloned(),
                                "crate" | "super" => None,
                                other => Some(other.to_owned()),
                            };
                            if let Some(child) = child {
                                let mut to = path.clone();
                                to.push(child);
                                self.reexports.insert((path.clone(), name), to);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn is_module(&self, path: &[String]) -> bool {
        self.modules.iter().any(|m| m.path == path)
    }

    /// The module an absolute path names: its longest module prefix, then
    /// followed through the `pub use` re-exports of that module.
    fn resolve(&self, segments: &[String]) -> Option<ModPath> {
        let mut len = segments.len();
        while len > 0 && !self.is_module(&segments[..len]) {
            len -= 1;
        }
        if len == 0 {
            return None;
        }
        let mut module: ModPath = segments[..len].to_vec();
        let mut rest = &segments[len..];
        // Re-exports: `routing::Tier` is `routing::reach::Tier`.
        while let Some(item) = rest.first() {
            match self.reexports.get(&(module.clone(), item.clone())) {
                Some(child) if self.is_module(child) && child.len() > module.len() => {
                    module = child.clone();
                    rest = &rest[1..];
                }
                _ => break,
            }
        }
        Some(module)
    }

    fn edges(&self) -> Vec<Edge> {
        let mut edges = BTreeSet::new();
        for (from, file, segments) in &self.named {
            if let Some(to) = self.resolve(segments)
                && &to != from
            {
                edges.insert(Edge {
                    from: from.clone(),
                    to,
                    file: file.clone(),
                });
            }
        }
        edges.into_iter().collect()
    }

    fn verdict(&self, layers: &[(&str, &[&str])]) -> Verdict {
        let mut verdict = Verdict {
            layers: layers.len(),
            modules: self.modules.len(),
            ..Verdict::default()
        };
        let rank: BTreeMap<&str, usize> = layers
            .iter()
            .enumerate()
            .flat_map(|(i, (_, mods))| mods.iter().map(move |m| (*m, i)))
            .collect();
        let top = |p: &ModPath| p.first().map_or("root".to_owned(), Clone::clone);
        for m in &self.modules {
            if m.path.len() == 1 && !rank.contains_key(m.path[0].as_str()) {
                verdict.violations.push(format!(
                    "top-level module `{}` ({}) is in no layer of the table",
                    m.path[0],
                    m.file.strip_prefix(&self.root).unwrap_or(&m.file).display()
                ));
            }
        }
        let edges = self.edges();
        verdict.edges = edges.len();
        // Graphs of sibling modules, one per common parent.
        let mut graphs: BTreeMap<ModPath, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
        for e in &edges {
            let (from_top, to_top) = (top(&e.from), top(&e.to));
            if let (Some(a), Some(b)) = (rank.get(from_top.as_str()), rank.get(to_top.as_str()))
                && b < a
            {
                verdict.violations.push(format!(
                    "{}: `{}` uses `{}`, a layer above it",
                    e.file.strip_prefix(&self.root).unwrap_or(&e.file).display(),
                    display(&e.from),
                    display(&e.to)
                ));
            }
            let common = e.from.iter().zip(&e.to).take_while(|(a, b)| a == b).count();
            let (from_child, to_child) = (full_child(&e.from, common), full_child(&e.to, common));
            if let (Some(f), Some(t)) = (from_child, to_child) {
                graphs
                    .entry(e.from[..common].to_vec())
                    .or_default()
                    .entry(f)
                    .or_default()
                    .insert(t);
            }
        }
        for (parent, graph) in &graphs {
            for cycle in cycles(graph) {
                let names: Vec<String> = cycle
                    .iter()
                    .map(|c| {
                        let mut p = parent.clone();
                        p.push(c.clone());
                        display(&p)
                    })
                    .collect();
                verdict
                    .violations
                    .push(format!("modules form a cycle: {}", names.join(" → ")));
            }
        }
        verdict
    }
}

fn full_child(path: &ModPath, common: usize) -> Option<String> {
    path.get(common).cloned()
}

fn display(path: &ModPath) -> String {
    if path.is_empty() {
        "crate".into()
    } else {
        path.join("::")
    }
}

/// Every cycle of a directed graph, each once, as its strongly connected
/// components of more than one node (Tarjan, iterative enough for a crate).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(targets) = s.graph.get(v) {
            for w in targets {
                let w = w.as_str();
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let low = s.low[v].min(s.low[w]);
                    s.low.insert(v, low);
                } else if s.on_stack.contains(w) {
                    let low = s.low[v].min(s.index[w]);
                    s.low.insert(v, low);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

fn is_public(vis: &syn::Visibility) -> bool {
    !matches!(vis, syn::Visibility::Inherited)
}

/// A use tree as (path segments, the name it binds).
fn flatten_use(tree: &syn::UseTree) -> Vec<(Vec<String>, String)> {
    fn go(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                go(&p.tree, prefix, out);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                let mut full = prefix.clone();
                if name != "self" {
                    full.push(name.clone());
                }
                let bound = if name == "self" {
                    prefix.last().cloned().unwrap_or_default()
                } else {
                    name
                };
                out.push((full, bound));
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix.clone();
                if r.ident != "self" {
                    full.push(r.ident.to_string());
                }
                out.push((full, r.rename.to_string()));
            }
            syn::UseTree::Glob(_) => out.push((prefix.clone(), "*".into())),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    go(t, prefix, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    go(tree, &mut Vec::new(), &mut out);
    out
}

/// Collects the paths one module's code names, skipping `#[cfg(test)]` items.
struct Walker<'t> {
    tree: &'t mut Tree,
    module: ModPath,
    file: PathBuf,
    /// `main.rs` names the library as `dynroute::`.
    binary: bool,
}

impl<'t> Walker<'t> {
    fn new(tree: &'t mut Tree, module: ModPath, file: &Path, binary: bool) -> Walker<'t> {
        Walker {
            tree,
            module,
            file: file.to_owned(),
            binary,
        }
    }

    /// Records `segments` when they name a module of this crate.
    fn name(&mut self, segments: Vec<String>) {
        let Some(first) = segments.first() else {
            return;
        };
        let (mut base, rest): (ModPath, &[String]) = match first.as_str() {
            "crate" | "$crate" => (Vec::new(), &segments[1..]),
            "dynroute" if self.binary => (Vec::new(), &segments[1..]),
            "self" => (self.module.clone(), &segments[1..]),
            "super" => {
                let supers = segments.iter().take_while(|s| *s == "super").count();
                let keep = self.module.len().saturating_sub(supers);
                (self.module[..keep].to_vec(), &segments[supers..])
            }
            // In the crate root a bare name can be a top-level module.
            _ if self.module.is_empty() => (Vec::new(), &segments[..]),
            _ => return,
        };
        base.extend(rest.iter().cloned());
        self.tree
            .named
            .push((self.module.clone(), self.file.clone(), base));
    }

    fn macro_tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            match &trees[i] {
                TokenTree::Group(g) => self.macro_tokens(g.stream()),
                TokenTree::Ident(id)
                    if ["crate", "super", "self"].contains(&id.to_string().as_str()) =>
                {
                    let mut segments = vec![id.to_string()];
                    let mut j = i + 1;
                    while j + 2 < trees.len() + 1 {
                        match (&trees.get(j), &trees.get(j + 1), &trees.get(j + 2)) {
                            (
                                Some(TokenTree::Punct(a)),
                                Some(TokenTree::Punct(b)),
                                Some(TokenTree::Ident(next)),
                            ) if a.as_char() == ':' && b.as_char() == ':' => {
                                segments.push(next.to_string());
                                j += 3;
                            }
                            _ => break,
                        }
                    }
                    if segments.len() > 1 {
                        self.name(segments);
                    }
                    i = j;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }
}

impl<'ast> Visit<'ast> for Walker<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        // Child modules are walked from their own file or block.
        let _ = m;
    }

    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !is_cfg_test(item_attrs(item)) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        for (segments, _) in flatten_use(&u.tree) {
            self.name(segments);
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        if p.leading_colon.is_none() && segments.len() > 1 {
            self.name(segments);
        }
        syn::visit::visit_path(self, p);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.macro_tokens(m.tokens.clone());
        syn::visit::visit_macro(self, m);
    }
}

/// The layer table of `docs/ARCHITECTURE.md`: the rows of the table under
/// `## Layers`, as (layer, modules).
pub fn doc_layers(doc: &str) -> Vec<(String, Vec<String>)> {
    let section = doc
        .split("\n## ")
        .find(|s| s.starts_with("Layers"))
        .expect("docs/ARCHITECTURE.md has a `## Layers` section");
    section
        .lines()
        .filter(|l| l.starts_with('|'))
        .skip(2) // header and separator
        .map(|row| {
            let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
            let modules = cells[1]
                .split(',')
                .map(|m| m.trim().trim_matches('`').to_owned())
                .filter(|m| !m.is_empty())
                .collect();
            (cells[0].to_owned(), modules)
        })
        .collect()
}

fn test_layers() -> Vec<(String, Vec<String>)> {
    LAYERS
        .iter()
        .map(|(l, mods)| {
            (
                (*l).to_owned(),
                mods.iter().map(|m| (*m).to_owned()).collect(),
            )
        })
        .collect()
}

#[test]
fn the_doc_table_is_the_table_the_test_uses() {
    let doc = std::fs::read_to_string(repo_root().join("docs/ARCHITECTURE.md")).unwrap();
    assert_eq!(
        doc_layers(&doc),
        test_layers(),
        "the layer table of docs/ARCHITECTURE.md and tests/integration/architecture.rs differ: change both"
    );
}

#[test]
fn dependencies_point_down_the_layers_without_cycles() {
    let verdict = check_tree(&repo_root(), LAYERS);
    println!(
        "layers: {} layers, {} modules, {} module-to-module edges checked",
        verdict.layers, verdict.modules, verdict.edges
    );
    assert!(
        verdict.violations.is_empty(),
        "{} violation(s):\n{}",
        verdict.violations.len(),
        verdict.violations.join("\n")
    );
    assert!(
        verdict.edges > 100,
        "suspiciously few edges: {}",
        verdict.edges
    );
}

#[test]
fn the_doc_names_every_production_module() {
    let doc = std::fs::read_to_string(repo_root().join("docs/ARCHITECTURE.md")).unwrap();
    let mut tree = Tree {
        root: repo_root(),
        ..Tree::default()
    };
    let src = repo_root().join("src");
    tree.load_file(&src.join("lib.rs"), Vec::new(), &src);
    let missing: Vec<String> = tree
        .modules
        .iter()
        .filter(|m| !m.path.is_empty())
        .map(|m| {
            let tail = &m.path[m.path.len().saturating_sub(2)..];
            tail.join("::")
        })
        .filter(|name| !doc.contains(&format!("`{name}`")) && !doc.contains(&format!("`{name}::")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/ARCHITECTURE.md does not name these modules (say what each holds under `## Rooms`): {missing:?}"
    );
}

/// Commands are thin: no waiting of their own (the engine's `Poller` waits) and
/// no parsing into domain types (clap's value parsers and `settings` do that
/// once). Printing is denied by clippy on the module (`commands/mod.rs`).
#[test]
fn commands_neither_sleep_nor_parse_domain_types() {
    let mut offences = Vec::new();
    let mut files = 0;
    let mut stack = vec![repo_root().join("src/commands")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            files += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                // Numbers may be parsed (`parse::<u32>()`); anything else is a domain type.
                let typed_parse = code.match_indices(".parse::<").any(|(i, _)| {
                    let target = &code[i + ".parse::<".len()..];
                    !["u8", "u16", "u32", "u64", "usize", "i64"]
                        .iter()
                        .any(|num| target.starts_with(&format!("{num}>")))
                });
                let bad = code.contains("sleep(")
                    || code.contains("from_str(")
                    || code.contains(".parse()")
                    || typed_parse;
                if bad {
                    offences.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(files > 15, "found only {files} command files");
    assert!(
        offences.is_empty(),
        "commands must not sleep or parse domain types (use the Poller, clap value parsers or settings):\n{}",
        offences.join("\n")
    );
}

/// A small crate in a temporary folder, for the checker's own tests.
fn planted(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

const TINY: &[(&str, &[&str])] = &[("entry", &["root"]), ("high", &["high"]), ("low", &["low"])];

#[test]
fn the_checker_finds_a_planted_upward_import_and_a_sibling_cycle() {
    let clean = planted(&[
        (
            "src/lib.rs",
            "pub mod high;\npub mod low;\npub fn run() { high::go(); }\n",
        ),
        (
            "src/high/mod.rs",
            "use crate::low::Thing;\npub fn go() { let _ = Thing; }\n",
        ),
        (
            "src/low/mod.rs",
            "pub mod a;\npub mod b;\npub struct Thing;\n#[cfg(test)]\nmod tests { use crate::high::go; }\n",
        ),
        ("src/low/a.rs", "pub fn a() { super::b::b(); }\n"),
        ("src/low/b.rs", "pub fn b() {}\n"),
    ]);
    let verdict = check_tree(clean.path(), TINY);
    assert_eq!(verdict.violations, Vec::<String>::new());
    assert_eq!(verdict.edges, 3, "root→high, high→low, low::a→low::b");

    // An upward import in an expression, and one inside a macro call.
    let upward = planted(&[
        ("src/lib.rs", "pub mod high;\npub mod low;\n"),
        ("src/high/mod.rs", "pub fn go() {}\n"),
        (
            "src/low/mod.rs",
            "pub fn f() { crate::high::go(); }\npub fn g() { println!(\"{:?}\", crate::high::go()); }\n",
        ),
    ]);
    let verdict = check_tree(upward.path(), TINY);
    assert_eq!(verdict.violations.len(), 1, "{:?}", verdict.violations);
    assert!(verdict.violations[0].contains("`low` uses `high`, a layer above it"));

    let cycle = planted(&[
        ("src/lib.rs", "pub mod low;\n"),
        ("src/low/mod.rs", "pub mod a;\npub mod b;\npub use b::B;\n"),
        (
            "src/low/a.rs",
            "pub struct A;\npub fn f() -> super::B { super::B }\n",
        ),
        (
            "src/low/b.rs",
            "pub struct B;\npub fn g() -> crate::low::a::A { crate::low::a::A }\n",
        ),
    ]);
    let verdict = check_tree(cycle.path(), TINY);
    assert_eq!(
        verdict.violations,
        ["modules form a cycle: low::a → low::b"],
        "a cycle through a re-export is still a cycle"
    );
}

#[test]
fn the_checker_finds_a_planted_edit_of_the_doc_table() {
    let doc = std::fs::read_to_string(repo_root().join("docs/ARCHITECTURE.md")).unwrap();
    // Swap two rows: the engine above the terminal layer's row.
    let edited = doc.replacen("| terminal |", "| terminal-edited |", 1);
    assert_ne!(doc_layers(&edited), test_layers());
    let moved = doc.replacen("| terminal | `ui` |", "| terminal | `ui`, `engine` |", 1);
    assert_ne!(moved, doc, "the terminal row is where the test expects it");
    assert_ne!(doc_layers(&moved), test_layers());
}
