/// The datasets a run plans slices for, in the order a WABA processes them (the catalog first: its
/// template ids feed the template analytics requests). Their raw values are the names used in the
/// pipeline file, the archive and the ledger (`DatasetName`).
public enum Dataset: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case catalog, pricing, templates

    public var description: String { rawValue }

    /// The configured datasets in processing order.
    public static func configured(_ config: PipelineConfig) -> [Dataset] {
        config.datasetNames.compactMap(Dataset.init(rawValue:))
    }
}
