import Yams

/// Reads typed values out of a YAML tree, collecting problems instead of stopping at the first.
struct ConfigReader {
    let file: String
    var problems: [PipelineProblem] = []

    init(file: String) { self.file = file }

    mutating func problem(_ node: Node?, _ path: String, _ message: String) {
        problems.append(PipelineProblem(file: file, line: node?.mark?.line, keyPath: path, message: message))
    }

    mutating func problem(_ m: Node.Mapping?, _ path: String, _ message: String) {
        problems.append(PipelineProblem(file: file, line: m?.mark?.line, keyPath: path, message: message))
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    mutating func mapping(_ node: Node, _ path: String) -> Node.Mapping? {
        if case .mapping(let m) = node { return m }
        problem(node, path, "must be a mapping of keys to values")
        return nil
    }

    func has(_ m: Node.Mapping, _ key: String) -> Bool { m[key] != nil }

    /// Reports keys not in `allowed` (typos are the most common pipeline mistake).
    mutating func allowOnly(_ m: Node.Mapping, _ path: String, _ allowed: [String]) {
        for (k, _) in m {
            let key = k.scalar?.string ?? "?"
            if !allowed.contains(key) {
                let close = allowed.min { editDistance($0, key) < editDistance($1, key) }
                let hint = close.map { editDistance($0, key) <= 3 ? " (did you mean \($0)?)" : "" } ?? ""
                problem(k, join(path, key), "unknown key\(hint); allowed: \(allowed.joined(separator: ", "))")
            }
        }
    }

    mutating func child(_ m: Node.Mapping?, _ key: String, path: String = "", required: Bool = false, allowNull: Bool = false) -> Node.Mapping? {
        guard let m else { return nil }
        guard let n = m[key] else {
            if required { problem(nil as Node?, join(path, key), "is required") }
            return nil
        }
        if allowNull, case .scalar(let s) = n, s.string.isEmpty || s.string == "~" || s.string == "null" { return nil }
        if case .mapping(let c) = n { return c }
        problem(n, join(path, key), "must be a mapping")
        return nil
    }

    mutating func sequence(_ m: Node.Mapping, _ key: String) -> [Node]? {
        guard let n = m[key] else { return nil }
        if case .sequence(let s) = n { return Array(s) }
        problem(n, key, "must be a list")
        return nil
    }

    mutating func scalar(_ m: Node.Mapping?, _ key: String, path: String, required: Bool) -> (Node, String)? {
        guard let m else { return nil }
        guard let n = m[key] else {
            if required { problem(nil as Node?, join(path, key), "is required") }
            return nil
        }
        guard case .scalar(let s) = n else { problem(n, join(path, key), "must be a single value"); return nil }
        return (n, s.string)
    }

    mutating func string(_ m: Node.Mapping?, _ key: String, path: String = "", required: Bool = false,
                         pattern: ((String) -> Bool)? = nil, hint: String = "") -> String? {
        guard let (n, s) = scalar(m, key, path: path, required: required) else { return nil }
        if let pattern, !pattern(s) {
            problem(n, join(path, key), "\"\(s)\" is not valid\(hint.isEmpty ? "" : ": expected \(hint)")")
            return nil
        }
        return s
    }

    mutating func int(_ m: Node.Mapping?, _ key: String, path: String, range: ClosedRange<Int>) -> Int? {
        guard let (n, s) = scalar(m, key, path: path, required: false) else { return nil }
        guard let v = Int(s) else { problem(n, join(path, key), "must be a whole number, got \"\(s)\""); return nil }
        guard range.contains(v) else { problem(n, join(path, key), "must be \(range.lowerBound)…\(range.upperBound), got \(v)"); return nil }
        return v
    }

    mutating func bool(_ m: Node.Mapping?, _ key: String, path: String) -> Bool? {
        guard let (n, s) = scalar(m, key, path: path, required: false) else { return nil }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: problem(n, join(path, key), "must be true or false, got \"\(s)\""); return nil
        }
    }

    mutating func day(_ m: Node.Mapping?, _ key: String, path: String = "") -> Day? {
        guard let (n, s) = scalar(m, key, path: path, required: false) else { return nil }
        guard let d = Day(s) else { problem(n, join(path, key), "must be a date YYYY-MM-DD, got \"\(s)\""); return nil }
        return d
    }

    mutating func stringList(_ m: Node.Mapping?, _ key: String, path: String, allowed: Set<String>? = nil,
                             validate: ((String) -> Bool)? = nil, hint: String = "") -> [String]? {
        guard let m, let n = m[key] else { return nil }
        guard case .sequence(let seq) = n else { problem(n, join(path, key), "must be a list like [A, B]"); return nil }
        var out: [String] = []
        for (i, item) in seq.enumerated() {
            guard case .scalar(let s) = item else { problem(item, "\(join(path, key))[\(i)]", "must be a single value"); continue }
            if let allowed, !allowed.contains(s.string) {
                problem(item, "\(join(path, key))[\(i)]", "\"\(s.string)\" is not one of \(allowed.sorted().joined(separator: ", "))"); continue
            }
            if let validate, !validate(s.string) {
                problem(item, "\(join(path, key))[\(i)]", "\"\(s.string)\" is not valid\(hint.isEmpty ? "" : ": expected \(hint)")"); continue
            }
            out.append(s.string)
        }
        if out.count != Set(out).count { problem(n, join(path, key), "lists a value twice") }
        return out
    }
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    for i in 1...a.count {
        var cur = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        prev = cur
    }
    return prev[b.count]
}
