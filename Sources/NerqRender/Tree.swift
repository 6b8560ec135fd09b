/// The inverted dependency tree of a package, from an assessment's `dependents` graph: the package,
/// then who depends on it, then who depends on those, up to the workspace members. Every route is
/// there: a package met again is printed once more, marked `(*)`, without repeating what pulls it
/// in (as `cargo tree --invert` and cargo-deny do), so the tree grows with the graph, not with the
/// number of paths. Cut at `limit` lines, the last line says how many more there are.
enum Tree {
    static func lines(from start: Int, _ graph: Assessment.Dependents, limit: Int) -> [String] {
        guard start >= 0, start < graph.nodes.count else { return [] }
        var out: [String] = [label(graph, start)]
        var more = 0
        var expanded = [Bool](repeating: false, count: graph.nodes.count)
        expanded[start] = true
        // Iterative depth-first walk: (node, prefix of its children, index of the next child).
        var stack: [(node: Int, prefix: String, next: Int)] = [(start, "", 0)]
        while var top = stack.popLast() {
            let children = top.node < graph.dependents.count ? graph.dependents[top.node] : []
            guard top.next < children.count else { continue }
            let child = children[top.next]
            let last = top.next == children.count - 1
            top.next += 1
            stack.append(top)
            let repeated = expanded[child]
            if out.count < limit {
                out.append(top.prefix + (last ? "└── " : "├── ") + label(graph, child) + (repeated ? " (*)" : ""))
            } else {
                more += 1
            }
            if !repeated {
                expanded[child] = true
                stack.append((child, top.prefix + (last ? "    " : "│   "), 0))
            }
        }
        if more > 0 { out.append("+\(more) more (the whole graph is in the JSON output: dependents)") }
        return out
    }

    static func label(_ graph: Assessment.Dependents, _ i: Int) -> String {
        let n = graph.nodes[i]
        return n.label + (n.member ? " (workspace)" : "") + (n.devOnly ? " (dev)" : "")
    }
}
