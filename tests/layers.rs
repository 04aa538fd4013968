//! The module layering of `../shared/STYLE.md`, kept by a test: only `config` (besides
//! `main` and `completions`) reads `cli`, `cli` imports no program, no program imports
//! another, `event` imports nothing from the crate, and the top-level modules import one
//! another without a cycle.
//!
//! The graph is read from the source: every `crate::name` path outside test modules is an
//! edge from the file's top-level module to `name`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Top-level module -> the top-level modules it imports.
fn import_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = Graph::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap();
            let first = relative.components().next().unwrap();
            let top = first.as_os_str().to_str().unwrap().trim_end_matches(".rs");
            if top == "main" || top == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let edges = graph.entry(top.to_owned()).or_default();
            for target in crate_paths(without_tests(&text)) {
                if target != top {
                    edges.insert(target);
                }
            }
        }
    }
    graph
}

/// The source before its `#[cfg(test)]` module: tests may reach anywhere.
fn without_tests(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    }
}

/// The first segment of every `crate::` path, including those in `crate::{a, b::c}`.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name = ident(item.trim());
                if !name.is_empty() && name != "self" {
                    found.insert(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a str) {
        let n = state.index.len();
        state.index.insert(node, n);
        state.low.insert(node, n);
        state.stack.push(node);
        if let Some(edges) = state.graph.get(node) {
            for next in edges {
                let next = next.as_str();
                if !state.index.contains_key(next) {
                    visit(state, next);
                    let low = state.low[node].min(state.low[next]);
                    state.low.insert(node, low);
                } else if state.stack.contains(&next) {
                    let low = state.low[node].min(state.index[next]);
                    state.low.insert(node, low);
                }
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(top) = state.stack.pop() {
                component.push(top.to_owned());
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                state.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.found
}

fn show(graph: &Graph) -> String {
    graph
        .iter()
        .map(|(from, to)| {
            format!(
                "{from} -> {}",
                to.iter().cloned().collect::<Vec<_>>().join(" ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn only_config_reads_the_command_line() {
    let graph = import_graph();
    let readers: Vec<&String> = graph
        .iter()
        .filter(|(_, to)| to.contains("cli"))
        .map(|(from, _)| from)
        .filter(|from| !["config", "completions"].contains(&from.as_str()))
        .collect();
    assert!(
        readers.is_empty(),
        "these modules import `cli`; only `config` may (STYLE.md, Layers): {readers:?}\n{}",
        show(&graph)
    );
}

#[test]
fn top_level_modules_form_no_cycle() {
    let graph = import_graph();
    let cycles = cycles(&graph);
    assert!(
        cycles.is_empty(),
        "import cycles between top-level modules: {cycles:?}\n{}",
        show(&graph)
    );
}

#[test]
fn the_event_vocabulary_imports_nothing() {
    let graph = import_graph();
    assert_eq!(
        graph.get("event"),
        Some(&BTreeSet::new()),
        "{}",
        show(&graph)
    );
}

#[test]
fn the_graph_reader_sees_imports_and_cycles() {
    let found = crate_paths("use crate::{a, b::c};\nlet x = crate::d::e;\n");
    assert_eq!(found, ["a", "b", "d"].map(String::from).into());
    let mut graph = Graph::new();
    graph.insert("a".into(), ["b".to_owned()].into());
    graph.insert("b".into(), ["a".to_owned()].into());
    graph.insert("c".into(), ["a".to_owned()].into());
    assert_eq!(cycles(&graph), [vec!["a".to_owned(), "b".to_owned()]]);
}

/// The programs: each is a command's engine, and shares with the others only through the
/// layers below them (`net`, `tap`, `output`, the building blocks). `config` plans them all,
/// and `lib` runs them.
const PROGRAMS: [&str; 7] = ["service", "stdio", "tcp", "udp", "load", "relay", "ws"];

#[test]
fn no_program_imports_another() {
    let graph = import_graph();
    let crossings: Vec<String> = graph
        .iter()
        .filter(|(from, _)| PROGRAMS.contains(&from.as_str()))
        .flat_map(|(from, to)| {
            to.iter()
                .filter(|to| PROGRAMS.contains(&to.as_str()))
                .map(move |to| format!("{from} -> {to}"))
        })
        // The servers run a service: it is what their peer gets, not a program of its own.
        .filter(|edge| !edge.ends_with("-> service"))
        .collect();
    assert!(
        crossings.is_empty(),
        "programs import other programs (STYLE.md, Layers); move what they share to net/: \
         {crossings:?}\n{}",
        show(&graph)
    );
}

#[test]
fn the_command_line_imports_no_program() {
    let graph = import_graph();
    let programs: Vec<&String> = graph
        .get("cli")
        .into_iter()
        .flatten()
        .filter(|to| PROGRAMS.contains(&to.as_str()))
        .collect();
    assert!(
        programs.is_empty(),
        "`cli` imports programs; its value types belong in `cli` or a building block: \
         {programs:?}\n{}",
        show(&graph)
    );
}
