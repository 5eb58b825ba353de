/// The ledger key of a backfill: the same command line resumes the same backfill.
public enum BackfillKey {
    public static func make(pipeline: String, from: Day, to: Day, wabas: [String], datasets: [String], chunkDays: Int) -> String {
        let w = wabas.sorted().joined(separator: ","), d = datasets.sorted().joined(separator: ",")
        return "\(pipeline):\(from)..\(to):w=\(w.isEmpty ? "*" : w):d=\(d.isEmpty ? "*" : d):c=\(chunkDays)"
    }
}
