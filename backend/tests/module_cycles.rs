//! No two top-level modules of a crate depend on each other, directly or round a longer loop:
//! each crate's features and shared modules form layers that a reader can follow downhill.
//! The check reads the sources (`crate::…` and `super::…` paths outside comments), so it
//! needs no extra tool; re-exports at the crate root count as the module they come from.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level module → the top-level modules it names.
type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The code of a file without its comments (doc links are no dependencies).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first segment of each path a `crate::` names: `crate::db::Store` gives `db`,
/// `crate::{db::Store, token}` gives `db` and `token`.
fn named_after(code: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().last();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // Items at brace depth zero of the group.
            let (mut depth, mut item, mut start) = (0, String::new(), true);
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        if !item.is_empty() {
                            names.push(std::mem::take(&mut item));
                        }
                        start = true;
                    }
                    c if start && depth == 0 && (c.is_alphanumeric() || c == '_') => item.push(c),
                    _ if start && !item.is_empty() => {
                        names.push(std::mem::take(&mut item));
                        start = false;
                    }
                    _ => {}
                }
            }
            if !item.is_empty() {
                names.push(item);
            }
        } else {
            let name: String =
                rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            names.push(name);
        }
    }
    names
}

/// Names the crate root re-exports (`pub use db::{Backend, Store};`) → their module.
fn root_reexports(root: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for statement in code_of(root).split(';') {
        let Some(path) = statement.trim().strip_prefix("pub use ") else { continue };
        let Some((module, items)) = path.split_once("::") else { continue };
        let items = items.trim_start_matches('{').trim_end_matches('}');
        for item in items.split(',') {
            let name = item.trim().rsplit("::").next().unwrap_or("").trim();
            if !name.is_empty() {
                map.insert(name.to_string(), module.trim().to_string());
            }
        }
    }
    map
}

fn graph_of(src: &Path) -> Graph {
    let root_file = ["lib.rs", "main.rs"].iter().map(|f| src.join(f)).find(|p| p.exists());
    let reexports =
        root_file.as_ref().map(|p| root_reexports(&std::fs::read_to_string(p).unwrap()));
    let reexports = reexports.unwrap_or_default();
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graph = Graph::new();
    for file in files {
        let relative = file.strip_prefix(src).unwrap();
        let parts: Vec<String> =
            relative.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").into()).collect();
        if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
            continue;
        }
        let module = parts[0].clone();
        // `super::` leaves the module only from its own top file.
        let top_file = parts.len() == 1 || (parts.len() == 2 && parts[1] == "mod");
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        let mut named = named_after(&code, "crate::");
        if top_file {
            named.extend(named_after(&code, "super::"));
        } else {
            named.extend(named_after(&code, "super::super::"));
        }
        let edges = graph.entry(module.clone()).or_default();
        for name in named {
            let target = reexports.get(&name).cloned().unwrap_or(name);
            let is_module = src.join(format!("{target}.rs")).exists()
                || src.join(&target).join("mod.rs").exists();
            if is_module && target != module {
                edges.insert(target);
            }
        }
    }
    graph
}

/// Every loop of modules, each as its path (first module repeated at the end).
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    fn visit(
        graph: &Graph,
        node: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut Vec<Vec<String>>,
    ) {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            found.push(cycle);
            return;
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            visit(graph, next, path, done, found);
        }
        path.pop();
        done.insert(node.to_string());
    }
    let (mut done, mut found) = (BTreeSet::new(), Vec::new());
    for node in graph.keys() {
        visit(graph, node, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

fn assert_no_cycles(crate_dir: &str) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(crate_dir).join("src");
    let graph = graph_of(&src);
    assert!(graph.len() > 1, "{crate_dir}: the sources were not found");
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "{crate_dir}: modules that depend on each other: {}",
        found.iter().map(|c| c.join(" → ")).collect::<Vec<_>>().join("; ")
    );
}

#[test]
fn the_check_finds_a_loop_and_reads_grouped_imports() {
    assert_eq!(
        named_after("use crate::{db::{A, B}, token, Store};", "crate::"),
        ["db", "token", "Store"]
    );
    assert_eq!(named_after("x = crate::db::get(); let y = notcrate::z;", "crate::"), ["db"]);
    let graph: Graph = [
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["c".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string()])),
    ]
    .into();
    assert_eq!(cycles(&graph), [["a", "b", "c", "a"]]);
}

#[test]
fn domain_modules_form_no_loop() {
    assert_no_cycles("domain");
}

#[test]
fn backend_modules_form_no_loop() {
    assert_no_cycles("backend");
}

#[test]
fn app_modules_form_no_loop() {
    assert_no_cycles("app");
}

#[test]
fn server_modules_form_no_loop() {
    assert_no_cycles("server");
}
