/// Decides, per request number, which configured fault (if any) fires. Deterministic in the
/// seed and the request's arrival number; the first matching spec wins.
struct FaultInjector: Sendable {
    let specs: [FaultSpec]
    let hash: SeededHash

    /// `pageable`: the request hits a paged list (only those can serve `emptypage`).
    func decide(requestNumber n: Int, pageable: Bool) -> FaultKind? {
        for (i, spec) in specs.enumerated() {
            if spec.kind.needsPageable, !pageable { continue }
            switch spec.trigger {
            case .nth(let k): if n == k { return spec.kind }
            case .rate(let r):
                if r >= 1 || hash.unit(Salt.fault.rawValue, i.u, n.u) < r { return spec.kind }
            }
        }
        return nil
    }
}
