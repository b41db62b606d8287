import XCTest
@testable import ChaosProbe

final class PrometheusProbeTests: XCTestCase {
    func testParsesVector() throws {
        let body = #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"api"},"value":[1700000000.5,"1"]},{"metric":{"job":"db"},"value":[1700000000.5,"0.25"]}]}}"#
        let result = try PrometheusResult.parse(Data(body.utf8))
        XCTAssertEqual(result, .vector([
            .init(labels: ["__name__": "up", "job": "api"], value: 1),
            .init(labels: ["job": "db"], value: 0.25),
        ]))
    }

    func testParsesScalarEmptyAndSpecialValues() throws {
        XCTAssertEqual(try PrometheusResult.parse(Data(#"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"3.5"]}}"#.utf8)), .scalar(3.5))
        XCTAssertEqual(try PrometheusResult.parse(Data(#"{"status":"success","data":{"resultType":"vector","result":[]}}"#.utf8)), .vector([]))
        XCTAssertEqual(try PrometheusResult.parse(Data(#"{"status":"success","data":{"resultType":"scalar","result":[1,"+Inf"]}}"#.utf8)), .scalar(.infinity))
        guard case .scalar(let nan) = try PrometheusResult.parse(Data(#"{"status":"success","data":{"resultType":"scalar","result":[1,"NaN"]}}"#.utf8)) else {
            return XCTFail("expected scalar")
        }
        XCTAssertTrue(nan.isNaN)
    }

    func testRejectsErrorsAndUnsupportedShapes() {
        let cases = [
            #"{"status":"error","errorType":"bad_data","error":"parse error at char 4"}"#: "query failed: bad_data: parse error at char 4",
            #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#: "result type 'matrix' is not supported; use an instant vector or scalar query",
            #"not json"#: "response is not a JSON object: not json",
            #"{"status":"success","data":{"resultType":"scalar","result":[1,"abc"]}}"#: "sample value 'abc' is not a number",
        ]
        for (body, message) in cases {
            XCTAssertThrowsError(try PrometheusResult.parse(Data(body.utf8))) { error in
                XCTAssertEqual("\(error)", message)
            }
        }
    }

    func testNumericConditions() throws {
        XCTAssertEqual(try NumericCondition("< 1%"), .lessThan(0.01))
        XCTAssertEqual(try NumericCondition("<=250"), .atMost(250))
        XCTAssertEqual(try NumericCondition(">= 3"), .atLeast(3))
        XCTAssertEqual(try NumericCondition("== 1"), .equal(1))
        XCTAssertEqual(try NumericCondition("0.5..2"), .within(0.5...2))
        for bad in ["", "< x", "=> 3", "3..1", "5"] { XCTAssertThrowsError(try NumericCondition(bad), bad) }

        XCTAssertTrue(NumericCondition.lessThan(0.01).holds(for: 0.009))
        XCTAssertFalse(NumericCondition.lessThan(0.01).holds(for: 0.01))
        XCTAssertTrue(NumericCondition.atMost(0.01).holds(for: 0.01))
        XCTAssertTrue(NumericCondition.greaterThan(3).holds(for: 4))
        XCTAssertFalse(NumericCondition.within(0.5...2).holds(for: 2.5))
        XCTAssertFalse(NumericCondition.atLeast(0).holds(for: .nan))
    }

    func testJudgeAllAnyAndEmpty() {
        let twoSeries = PrometheusResult.vector([.init(labels: [:], value: 0.004), .init(labels: [:], value: 0.02)])
        func probe(_ condition: NumericCondition, _ quantifier: PrometheusProbe.Quantifier = .all, empty: Bool = false) -> PrometheusProbe {
            PrometheusProbe(baseURL: "http://127.0.0.1:1", query: "q", condition: condition,
                            transport: SocketHTTPTransport(), quantifier: quantifier, emptyIsHealthy: empty)
        }
        XCTAssertEqual(probe(.lessThan(0.01)).judge(twoSeries).reason, "value 0.02 not < 0.01 (1 of 2 series)")
        XCTAssertTrue(probe(.lessThan(0.01), .any).judge(twoSeries).ok)
        XCTAssertTrue(probe(.lessThan(0.05)).judge(twoSeries).ok)
        XCTAssertEqual(probe(.greaterThan(2)).judge(.vector([])).reason, "query returned no series")
        XCTAssertTrue(probe(.greaterThan(2), empty: true).judge(.vector([])).ok)
        XCTAssertTrue(probe(.greaterThan(2)).judge(.scalar(3)).ok)
    }

    /// Through the seam against a real local HTTP server: the query survives URL encoding
    /// (the server echoes it back as a label) and the condition is applied.
    func testQueriesServerThroughTransport() throws {
        let server = try LocalHTTPServer()
        defer { server.stop() }
        let query = #"sum(rate(http_requests_total{code=~"5..",job="api",team="café"}[1m])) / sum(rate(http_requests_total[1m])) + 0"#
        let errorRate = PrometheusProbe(baseURL: server.baseURL, query: query, condition: try NumericCondition("< 1%"),
                                        transport: SocketHTTPTransport())
        guard case .vector(let series) = try errorRate.currentResult() else { return XCTFail("expected a vector") }
        XCTAssertEqual(series.first?.labels["query"], query)
        XCTAssertTrue(errorRate.check().ok)

        let strict = PrometheusProbe(baseURL: server.baseURL, query: query, condition: .lessThan(0.005), transport: SocketHTTPTransport())
        XCTAssertEqual(strict.check().reason, "value 0.009 not < 0.005 (1 of 2 series)")
        let scalar = PrometheusProbe(baseURL: server.baseURL, query: "scalar(up)", condition: .equal(42), transport: SocketHTTPTransport())
        XCTAssertTrue(scalar.check().ok)
        let empty = PrometheusProbe(baseURL: server.baseURL, query: "empty", condition: .greaterThan(0), transport: SocketHTTPTransport())
        XCTAssertEqual(empty.check().reason, "query returned no series")
        let bad = PrometheusProbe(baseURL: server.baseURL, query: "sum(rate(x[1m]", condition: .greaterThan(0), transport: SocketHTTPTransport())
        XCTAssertEqual(bad.check().reason, #"prometheus: query failed: bad_data: invalid parameter "query": 1:15: parse error: unclosed left parenthesis"#)
    }
}
