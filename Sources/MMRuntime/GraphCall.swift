import Foundation
import MMCore

/// One API request of a slice: its first URL, the context its pages are normalized with, what
/// its sidecars record, and what to ask instead when the API rejects a parameter (error 100).
struct GraphCall: Sendable {
    var dataset: Dataset
    var url: String
    var context: PageContext
    /// The sidecar's request context; `fetchID`, `fetchPage` and `lastOfFetch` are set per page.
    var request: PageRequest
    /// Tried in order when this call fails with an invalid parameter; the first call of the set
    /// taken inherits the remaining sets.
    var fallbacks: [GraphCallFallback] = []
}

/// Calls that replace a rejected one: the documented alternative product type, or the window's halves.
struct GraphCallFallback: Sendable {
    /// What the warning says when this fallback is taken.
    var reason: String
    var calls: [GraphCall]
}

/// The pages a slice's fetch archived, in order, and what fetching them cost.
struct SliceFetch: Sendable {
    var fetchID: Int64
    var pages: [FetchedPage] = []
    var apiCalls = 0
    var fetchedAt: Date

    init(fetchID: Int64, fetchedAt: Date) { self.fetchID = fetchID; self.fetchedAt = fetchedAt }
}

/// An archived page and the context its normalizer needs.
struct FetchedPage: Sendable {
    var record: RawPageRecord
    var context: PageContext
}
