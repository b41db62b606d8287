import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The elements of an SVG document, parsed with a real XML parser: name, attributes, the
/// text directly inside, and the tooltip `<title>` of each.
public struct SVGElements {
    public struct Element {
        public var name: String
        public var attributes: [String: String]
        public var text = ""
        public var title = ""
        public func number(_ key: String) -> Double { Double(attributes[key] ?? "") ?? .nan }
        public var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }
    }

    public var all: [Element] = []

    public init(_ svg: String) throws {
        let delegate = Delegate()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = delegate
        guard parser.parse() else { throw NSError(domain: "svg", code: 1, userInfo: [NSLocalizedDescriptionKey: "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")"]) }
        all = delegate.elements
    }

    /// Elements with this class.
    public func withClass(_ name: String) -> [Element] { all.filter { $0.classes.contains(name) } }

    private final class Delegate: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var open: [Int] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append(Element(name: name, attributes: attributes))
            open.append(elements.count - 1)
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard let current = open.last else { return }
            if elements[current].name == "title", open.count >= 2 {
                elements[open[open.count - 2]].title += string
            } else {
                elements[current].text += string
            }
        }
    }
}

extension SVGElements {
    /// The first `<svg>…</svg>` of an HTML page.
    public init(firstSVGIn html: String) throws {
        guard let start = html.range(of: "<svg"), let end = html.range(of: "</svg>", range: start.upperBound..<html.endIndex) else {
            throw NSError(domain: "svg", code: 2, userInfo: [NSLocalizedDescriptionKey: "no <svg> in the page"])
        }
        try self.init(String(html[start.lowerBound..<end.upperBound]))
    }
}
