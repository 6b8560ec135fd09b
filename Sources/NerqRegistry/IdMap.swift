/// Maps the dump's ids (non-negative 32-bit integers) to dense indexes: a direct table when the ids
/// are compact (they are in crates.io: sequences), a dictionary when they are not, so a stray huge
/// id can never make the table huge.
struct IdMap {
    private var table: [Int32] = []
    private var dict: [Int32: Int32] = [:]
    private var dense = true
    /// The first id seen twice (ids are primary keys: a duplicate is an error for the caller).
    private(set) var duplicate: (id: Int32, first: Int32, second: Int32)?

    init() {}

    init(_ ids: [Int32]) {
        var maxId: Int32 = -1
        for id in ids where id > maxId { maxId = id }
        let limit = Int64(ids.count) * 4 + 1_000_000
        dense = Int64(maxId) < limit
        if dense {
            table = [Int32](repeating: -1, count: Int(maxId) + 1)
            for (i, id) in ids.enumerated() where id >= 0 {
                let k = Int(id)
                if table[k] >= 0 {
                    if duplicate == nil { duplicate = (id, table[k], Int32(truncatingIfNeeded: i)) }
                    continue
                }
                table[k] = Int32(truncatingIfNeeded: i)
            }
        } else {
            dict.reserveCapacity(ids.count)
            for (i, id) in ids.enumerated() {
                if let first = dict[id] {
                    if duplicate == nil { duplicate = (id, first, Int32(truncatingIfNeeded: i)) }
                    continue
                }
                dict[id] = Int32(truncatingIfNeeded: i)
            }
        }
    }

    @inline(__always) func index(_ id: Int32) -> Int? {
        if dense {
            guard id >= 0, Int(id) < table.count else { return nil }
            let v = table[Int(id)]
            return v >= 0 ? Int(v) : nil
        }
        return dict[id].map { Int($0) }
    }
}
