import Testing
@testable import MMCore

@Suite struct PipelineParserTests {
    @Test func parsesTheSpecExample() throws {
        let c = try PipelineParser.parse(try Fixture.text("pipeline_valid.yaml"), file: "nightly.yaml")
        #expect(c.name == "nightly")
        #expect(c.startDate == Day("2026-09-01"))
        #expect(c.graph.maxConcurrency == 8)
        #expect(c.graph.appSecretEnv == "MMETL_APP_SECRET")
        #expect(c.pricing?.dimensions == ["PRICING_CATEGORY", "PRICING_TYPE", "COUNTRY", "PHONE", "TIER"])
        #expect(c.templates?.productTypes == ["MARKETING_MESSAGES_LITE_API", "CLOUD_API"])
        #expect(c.templates?.settleDays == 10)
        #expect(c.catalog != nil)
        #expect(c.wabas == [WABAEntry(id: "102290129340398", industry: "retail")])
        #expect(c.discover?.businessID == "1000000000000001")
        #expect(c.datasetNames == ["catalog", "pricing", "templates"])
        #expect(c.benchmarks.minCohortBusinesses == 5)
    }

    @Test func reportsEveryProblemAtOnceWithLineAndKeyPath() throws {
        do {
            _ = try PipelineParser.parse(try Fixture.text("pipeline_invalid.yaml"), file: "bad.yaml")
            Issue.record("expected a validation error")
        } catch let e as PipelineValidationError {
            let text = e.problems.map(\.description)
            #expect(text.contains("bad.yaml:3: graph.base_url: \"ftp://example\" is not valid: expected an https:// URL (plain http:// only for a loopback host: the token would travel in clear)"))
            #expect(text.contains { $0.hasPrefix("bad.yaml:4: graph.max_concurency: unknown key (did you mean max_concurrency?)") })
            #expect(text.contains { $0.contains("datasets.pricing.granularity: \"WEEKLY\" is not valid") })
            #expect(text.contains { $0.contains("datasets.pricing.dimensions[1]: \"PLANET\" is not one of") })
            #expect(text.contains { $0.contains("datasets.templates.product_types[0]: \"NOPE\" is not valid") })
            #expect(text.contains("bad.yaml:7: datasets.templates.settle_days: must be 1…30, got 45"))
            #expect(text.contains { $0.contains("wabas[1].id: duplicate WABA id 123") })
            #expect(text.contains { $0.contains("wabas[2].id: \"abc\" is not valid") })
            #expect(e.failureClass == .config)
            #expect(e.problems.count == 8)
        }
    }

    @Test func rejectsBrokenYAMLWithALine() {
        #expect(throws: PipelineValidationError.self) { try PipelineParser.parse("name: x\ngraph: [unclosed\n", file: "f.yaml") }
        do { _ = try PipelineParser.parse("name: x\ngraph: [unclosed\n", file: "f.yaml") } catch let e as PipelineValidationError {
            #expect(e.problems.first?.description.hasPrefix("f.yaml:") == true)
        } catch { Issue.record("wrong error \(error)") }
    }

    @Test func requiresAWABASource() {
        do {
            _ = try PipelineParser.parse("name: x\ngraph: {}\ndatasets: { pricing: {} }\n", file: "f.yaml")
            Issue.record("expected an error")
        } catch let e as PipelineValidationError {
            #expect(e.problems.map(\.keyPath) == ["wabas"])
        } catch { Issue.record("wrong error \(error)") }
    }

    @Test func sendLogParseThreadsDefaultToTheCoresAndAreBounded() throws {
        let base = "name: x\ngraph: {}\ndatasets: { catalog: {} }\nwabas: [{ id: \"1\" }]\n"
        #expect(try PipelineParser.parse(base, file: "f").sendlog.parseThreads == nil)
        #expect(try PipelineParser.parse(base + "sendlog: { parse_threads: 1 }\n", file: "f").sendlog.parseThreads == 1)
        do {
            _ = try PipelineParser.parse(base + "sendlog: { parse_threads: 0 }\n", file: "f.yaml")
            Issue.record("expected an error")
        } catch let e as PipelineValidationError {
            #expect(e.problems.map(\.keyPath) == ["sendlog.parse_threads"])
        }
    }

    @Test func sendLogFoldMegabytesDefaultToTheStoresAndAreBounded() throws {
        let base = "name: x\ngraph: {}\ndatasets: { catalog: {} }\nwabas: [{ id: \"1\" }]\n"
        #expect(try PipelineParser.parse(base, file: "f").sendlog.foldBytes == nil)
        #expect(try PipelineParser.parse(base + "sendlog: { fold_megabytes: 256 }\n", file: "f").sendlog.foldBytes == 256 << 20)
        #expect(try PipelineParser.parse(base + "sendlog: { fold_megabytes: 0 }\n", file: "f").sendlog.foldBytes == 0)
        do {
            _ = try PipelineParser.parse(base + "sendlog: { fold_megabytes: -1 }\n", file: "f.yaml")
            Issue.record("expected an error")
        } catch let e as PipelineValidationError {
            #expect(e.problems.map(\.keyPath) == ["sendlog.fold_megabytes"])
        }
    }

    @Test func tokenEnvAndFileAreExclusive() {
        #expect(throws: PipelineValidationError.self) {
            try PipelineParser.parse("name: x\ngraph: { token_env: A, token_file: /x }\ndatasets: { catalog: {} }\nwabas: [{ id: \"1\" }]\n", file: "f")
        }
    }

    /// A zone the tz database does not know was ignored silently (days then fell back to UTC); plain
    /// http to a non-loopback host would carry the token in clear. Both are configuration errors now.
    @Test func anUnknownTimezoneAndPlainHTTPToARealHostAreConfigurationErrors() {
        let yaml = """
        name: x
        graph: { base_url: "http://graph.example.com" }
        datasets: { catalog: {} }
        wabas: [{ id: "1", timezone: "Europe/Atlantis" }]
        """
        do {
            _ = try PipelineParser.parse(yaml, file: "p.yaml")
            Issue.record("accepted")
        } catch let e as PipelineValidationError {
            #expect(e.description.contains("p.yaml:2: graph.base_url"))
            #expect(e.description.contains("p.yaml:4: wabas[0].timezone: \"Europe/Atlantis\" is not valid"))
        } catch { Issue.record("\(error)") }
        #expect((try? PipelineParser.parse(yaml.replacingOccurrences(of: "Europe/Atlantis", with: "Asia/Kolkata")
            .replacingOccurrences(of: "http://graph.example.com", with: "http://127.0.0.1:8089"), file: "p.yaml")) != nil)
    }
}
