import MMCore
import Testing

@Suite struct MigrationPlanTests {
    @Test func parsesFileNames() {
        #expect(MigrationPlan.parseFileName("0001_schemas.sql")! == (1, "schemas"))
        #expect(MigrationPlan.parseFileName("0042_fact-pricing.v2.sql")! == (42, "fact-pricing.v2"))
        #expect(MigrationPlan.parseFileName("schemas.sql") == nil)
        #expect(MigrationPlan.parseFileName("0001_.sql") == nil)
        #expect(MigrationPlan.parseFileName("_x.sql") == nil)
        #expect(MigrationPlan.parseFileName("0001_x.SQL") == nil)
        #expect(MigrationPlan.parseFileName("0001_a b.sql") == nil)
    }

    @Test func reportsBadNamesAndDuplicatesTogether() {
        #expect(throws: MigrationPlanError(problems: [.invalidFileName("oops.sql"), .duplicateVersion(2, ["0002_a.sql", "0002_b.sql"])])) {
            try MigrationPlan.files(from: [("0002_b.sql", "x"), ("oops.sql", "y"), ("0002_a.sql", "z"), ("README.md", "")])
        }
    }

    @Test func plansPendingInVersionOrder() throws {
        let files = try MigrationPlan.files(from: [("0003_c.sql", "c"), ("0001_a.sql", "a"), ("0002_b.sql", "b")])
        let plan = try MigrationPlan(files: files, applied: [AppliedMigration(version: 1, name: "a", checksum: "a")])
        #expect(plan.applied.map(\.version) == [1])
        #expect(plan.pending.map(\.fileName) == ["0002_b.sql", "0003_c.sql"])
        #expect(!plan.isUpToDate)
    }

    @Test func appliesAGapFilledLater() throws {
        let files = try MigrationPlan.files(from: [("0001_a.sql", "a"), ("0002_b.sql", "b"), ("0003_c.sql", "c")])
        let plan = try MigrationPlan(files: files, applied: [AppliedMigration(version: 1, name: "a", checksum: "a"),
                                                            AppliedMigration(version: 3, name: "c", checksum: "c")])
        #expect(plan.pending.map(\.version) == [2])
    }

    @Test func refusesEditedAndMissingFiles() throws {
        let files = try MigrationPlan.files(from: [("0001_a.sql", "a2"), ("0003_c.sql", "c")])
        do {
            _ = try MigrationPlan(files: files, applied: [AppliedMigration(version: 1, name: "a", checksum: "a1"),
                                                          AppliedMigration(version: 2, name: "b", checksum: "b")])
            Issue.record("expected a refusal")
        } catch {
            #expect(error.failureClass == .config)
            #expect(error.problems.count == 2)
            #expect(error.description.contains("0001_a.sql was edited"))
            #expect(error.description.contains("0002_b.sql is recorded as applied but its file is missing"))
        }
    }
}
