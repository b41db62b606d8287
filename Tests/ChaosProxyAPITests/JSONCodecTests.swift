@testable import ChaosProxyAPI
import XCTest

/// The JSON layer must word errors exactly as Go's encoding/json, since Toxiproxy
/// returns those texts to clients.
final class JSONCodecTests: XCTestCase {
    private func syntaxError(_ text: String) -> String? {
        do { _ = try JSONParser.parse(text); return nil } catch { return "\(error)" }
    }

    func testSyntaxErrorsUseGoWording() {
        XCTAssertEqual(syntaxError(""), "EOF")
        XCTAssertEqual(syntaxError("  \n"), "EOF")
        XCTAssertEqual(syntaxError("{\"name\":\"x\","), "unexpected EOF")
        XCTAssertEqual(syntaxError("{\"enabled\":"), "unexpected EOF")
        XCTAssertEqual(syntaxError("x"), "invalid character 'x' looking for beginning of value")
        XCTAssertEqual(syntaxError("{\"a\" 1}"), "invalid character '1' after object key")
        XCTAssertEqual(syntaxError("{\"a\":1 \"b\"}"), "invalid character '\"' after object key:value pair")
        XCTAssertEqual(syntaxError("[1 2]"), "invalid character '2' after array element")
        XCTAssertEqual(syntaxError("{1:2}"), "invalid character '1' looking for beginning of object key string")
        XCTAssertEqual(syntaxError("tru"), "unexpected EOF")
        XCTAssertEqual(syntaxError("trux"), "invalid character 'x' in literal true (expecting 'e')")
        XCTAssertEqual(syntaxError("\"a\u{01}\""), "invalid character \"\\x01\" in string literal")
    }

    func testFirstValueIsDecodedAndTrailingBytesIgnoredLikeGoDecoder() throws {
        XCTAssertEqual(try JSONParser.parse("{\"a\":1} trailing"), .object([("a", .number("1"))]))
        XCTAssertEqual(try JSONParser.parse("5"), .number("5"))
    }

    func testStringEscapesAndSurrogatePairs() throws {
        XCTAssertEqual(try JSONParser.parse("\"a\\n\\u00e9\\ud83d\\ude00\\/\""), .string("a\né😀/"))
        XCTAssertEqual(try JSONParser.parse("\"\\ud800x\""), .string("\u{FFFD}x"))
    }

    func testDepthIsBounded() {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1)
        XCTAssertEqual(syntaxError(deep), "exceeded max depth")
    }

    func testKeysMatchCaseInsensitivelyAndLastDuplicateWins() throws {
        let value = try JSONParser.parse("{\"Name\":\"a\",\"name\":\"b\",\"LISTEN\":\"c\"}")
        XCTAssertEqual(value["name"], .string("b"))
        XCTAssertEqual(value["listen"], .string("c"))
    }

    func testWriterEscapesLikeGo() {
        XCTAssertEqual(JSONWriter.string("a<b>&\"\\\n\u{01}\u{2028}"), "\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\\u0001\\u2028\"")
    }

    func testFloat32FormattingMatchesGo() {
        XCTAssertEqual(JSONWriter.float32(1), "1")
        XCTAssertEqual(JSONWriter.float32(0), "0")
        XCTAssertEqual(JSONWriter.float32(0.5), "0.5")
        XCTAssertEqual(JSONWriter.float32(0.25), "0.25")
        XCTAssertEqual(JSONWriter.float32(2.5), "2.5")
        XCTAssertEqual(JSONWriter.float32(Float(0.1)), "0.1")
    }

    func testTypeErrorsNameTheGoStructField() throws {
        let reader = try GoFieldReader(try JSONParser.parse("{\"name\":123,\"n\":1.5}"), structName: "Proxy", goType: "toxiproxy.Proxy")
        XCTAssertThrowsError(try reader.string("name")) {
            XCTAssertEqual("\($0)", "json: cannot unmarshal number into Go struct field Proxy.name of type string")
        }
        XCTAssertThrowsError(try reader.int64("n")) {
            XCTAssertEqual("\($0)", "json: cannot unmarshal number 1.5 into Go struct field Proxy.n of type int64")
        }
        XCTAssertThrowsError(try GoFieldReader(.array([]), structName: "Proxy", goType: "toxiproxy.Proxy")) {
            XCTAssertEqual("\($0)", "json: cannot unmarshal array into Go value of type toxiproxy.Proxy")
        }
    }
}
