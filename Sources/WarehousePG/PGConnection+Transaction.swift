import CLibPQ

/// Where the session stands with respect to transactions (`PQtransactionStatus`).
public enum PGTransactionState: Sendable, Hashable {
    case idle, active, inTransaction, failedTransaction, unknown
}

extension PGConnection {
    /// The session's transaction state.
    public var transactionState: PGTransactionState {
        lock.lock()
        defer { lock.unlock() }
        guard let state = try? withHandle(context: "", { PQtransactionStatus($0) }) else { return .unknown }
        switch state {
        case PQTRANS_IDLE: return .idle
        case PQTRANS_ACTIVE: return .active
        case PQTRANS_INTRANS: return .inTransaction
        case PQTRANS_INERROR: return .failedTransaction
        default: return .unknown
        }
    }

    /// Runs `body` in a transaction: BEGIN, then COMMIT when it returns, ROLLBACK when it throws
    /// (the body's error is rethrown; a failed ROLLBACK on a broken connection is ignored).
    ///
    /// Nested calls use a SAVEPOINT, so an inner failure rolls back only the inner work.
    /// A body that swallowed a statement error leaves the transaction failed: COMMIT would silently
    /// roll back, so this rolls back and throws instead.
    @discardableResult
    public func transaction<T>(_ body: (PGConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let nested = transactionState != .idle
        let savepoint = "mmetl_sp_\(savepointDepth + 1)"
        try execute(nested ? "SAVEPOINT \(savepoint)" : "BEGIN")
        if nested { savepointDepth += 1 }
        defer { if nested { savepointDepth -= 1 } }
        let value: T
        do {
            value = try body(self)
        } catch {
            try? execute(nested ? "ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)" : "ROLLBACK")
            throw error
        }
        if transactionState == .failedTransaction && !nested {
            try? execute("ROLLBACK")
            throw PGError(kind: .usage, message: "a statement in the transaction failed and its error was ignored; rolled back",
                          context: "committing on \(target)")
        }
        if nested {
            try execute("RELEASE SAVEPOINT \(savepoint)")
        } else {
            let rows = try query("COMMIT")
            if rows.commandStatus == "ROLLBACK" {
                throw PGError(kind: .server, message: "COMMIT rolled back the transaction", context: "committing on \(target)")
            }
        }
        return value
    }
}
