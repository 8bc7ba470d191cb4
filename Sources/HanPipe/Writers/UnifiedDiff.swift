/// A unified diff of two texts by lines (for `check --diff`), from a Myers shortest edit script.
public enum UnifiedDiff {
    public static func diff(old: [UInt8], new: [UInt8], oldName: String, newName: String, context: Int = 3) -> [UInt8] {
        let a = lines(old), b = lines(new)
        let script = editScript(a, b)
        // Group the script into hunks with `context` lines around each change.
        var out: [UInt8] = Array("--- \(oldName)\n+++ \(newName)\n".utf8)
        var i = 0
        while i < script.count {
            guard script[i].kind != .same else { i += 1; continue }
            var start = i
            var back = 0
            while start > 0 && back < context && script[start - 1].kind == .same { start -= 1; back += 1 }
            var end = i
            var sameRun = 0
            while end < script.count {
                if script[end].kind == .same { sameRun += 1; if sameRun > 2 * context { break } } else { sameRun = 0 }
                end += 1
            }
            while end > i && sameRun > context && script[end - 1].kind == .same { end -= 1; sameRun -= 1 }
            let hunk = script[start..<end]
            let oldStart = (hunk.first { $0.kind != .insert }?.aIndex ?? hunk.first!.aIndex) + 1
            let newStart = (hunk.first { $0.kind != .delete }?.bIndex ?? hunk.first!.bIndex) + 1
            let oldCount = hunk.filter { $0.kind != .insert }.count
            let newCount = hunk.filter { $0.kind != .delete }.count
            out.append(contentsOf: "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n".utf8)
            for op in hunk {
                switch op.kind {
                case .same: out.append(UInt8(ascii: " ")); out.append(contentsOf: a[op.aIndex])
                case .delete: out.append(UInt8(ascii: "-")); out.append(contentsOf: a[op.aIndex])
                case .insert: out.append(UInt8(ascii: "+")); out.append(contentsOf: b[op.bIndex])
                }
                if out.last != 0x0A { out.append(contentsOf: "\n\\ No newline at end of file\n".utf8) }
            }
            i = end
        }
        return out
    }

    struct Op { enum Kind { case same, delete, insert }; let kind: Kind; let aIndex: Int; let bIndex: Int }

    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A { result.append(bytes[start...i]); start = i + 1 }
        if start < bytes.count { result.append(bytes[start...]) }
        return result
    }

    /// Myers' O((N+M)D) algorithm.
    static func editScript(_ a: [ArraySlice<UInt8>], _ b: [ArraySlice<UInt8>]) -> [Op] {
        let n = a.count, m = b.count, max = n + m
        var v = [Int](repeating: 0, count: 2 * max + 2)
        var trace: [[Int]] = []
        outer: for d in 0...max {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[max + k - 1] < v[max + k + 1])) ? v[max + k + 1] : v[max + k - 1] + 1
                var y = x - k
                while x < n && y < m && a[x] == b[y] { x += 1; y += 1 }
                v[max + k] = x
                if x >= n && y >= m { trace.append(v); break outer }
            }
        }
        var ops: [Op] = []
        var x = n, y = m
        for d in stride(from: trace.count - 2, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let prevK = (k == -d || (k != d && v[max + k - 1] < v[max + k + 1])) ? k + 1 : k - 1
            let prevX = v[max + prevK], prevY = prevX - prevK
            while x > prevX && y > prevY { x -= 1; y -= 1; ops.append(Op(kind: .same, aIndex: x, bIndex: y)) }
            if d > 0 {
                if x == prevX { y -= 1; ops.append(Op(kind: .insert, aIndex: x, bIndex: y)) }
                else { x -= 1; ops.append(Op(kind: .delete, aIndex: x, bIndex: y)) }
            }
        }
        return ops.reversed()
    }
}
