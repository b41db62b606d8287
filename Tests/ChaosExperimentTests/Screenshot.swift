import Foundation

/// A screenshot's pixels (read from the binary PPM that Fixtures/png_colors.py --rgb writes),
/// for checking colours at the places a chart says it drew something.
struct Screenshot {
    let width: Int
    let height: Int
    private let rgb: [UInt8]

    init(ppm path: String) throws {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // Header "P6 W H 255\n", written on one line by png_colors.py.
        guard let newline = data.firstIndex(of: 10) else { throw CocoaError(.fileReadCorruptFile) }
        let fields = String(decoding: data[..<newline], as: UTF8.self).split(separator: " ")
        guard fields.count == 4, fields[0] == "P6", let w = Int(fields[1]), let h = Int(fields[2]),
              data.count - newline - 1 == w * h * 3 else { throw CocoaError(.fileReadCorruptFile) }
        width = w
        height = h
        rgb = Array(data[(newline + 1)...])
    }

    struct Colour {
        var r: Int, g: Int, b: Int
        /// "#rrggbb"
        init(_ hex: String) {
            let v = Int(hex.dropFirst(), radix: 16) ?? 0
            (r, g, b) = (v >> 16 & 255, v >> 8 & 255, v & 255)
        }
        init(r: Int, g: Int, b: Int) { (self.r, self.g, self.b) = (r, g, b) }
        /// This colour at `opacity` over white, as the browser composites it.
        func over(white opacity: Double) -> Colour {
            func mix(_ c: Int) -> Int { Int((Double(c) * opacity + 255 * (1 - opacity)).rounded()) }
            return Colour(r: mix(r), g: mix(g), b: mix(b))
        }
    }

    /// Pixels within `tolerance` (per channel) of `colour` in the rectangle, clipped to the image.
    func count(_ colour: Colour, tolerance: Int, x: ClosedRange<Int>, y: ClosedRange<Int>) -> Int {
        var n = 0
        for py in max(0, y.lowerBound)...min(height - 1, y.upperBound) {
            for px in max(0, x.lowerBound)...min(width - 1, x.upperBound) {
                let i = (py * width + px) * 3
                if abs(Int(rgb[i]) - colour.r) <= tolerance && abs(Int(rgb[i + 1]) - colour.g) <= tolerance
                    && abs(Int(rgb[i + 2]) - colour.b) <= tolerance { n += 1 }
            }
        }
        return n
    }

    /// Top-left of the first horizontal run of at least `length` pixels of `colour`, scanning
    /// rows from the top: a filled area, never a glyph's anti-aliased edge.
    func firstRun(of colour: Colour, tolerance: Int, length: Int) -> (x: Int, y: Int)? {
        for py in 0..<height {
            var run = 0
            for px in 0..<width {
                let i = (py * width + px) * 3
                let near = abs(Int(rgb[i]) - colour.r) <= tolerance && abs(Int(rgb[i + 1]) - colour.g) <= tolerance
                    && abs(Int(rgb[i + 2]) - colour.b) <= tolerance
                run = near ? run + 1 : 0
                if run == length { return (px - length + 1, py) }
            }
        }
        return nil
    }
}
