/// Series colours (Okabe–Ito: distinguishable with the common colour-vision deficiencies).
enum Palette {
    static let colors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

    /// The colour of the series at `index` (cycles after eight).
    static func color(_ index: Int) -> String { colors[index % colors.count] }
}
