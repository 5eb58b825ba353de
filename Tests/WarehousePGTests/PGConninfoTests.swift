import Testing
import WarehousePG

@Suite struct PGConninfoTests {
    @Test(arguments: [
        "postgresql://alice:s3cretPa55@db.example:5432/mm",
        "postgres://alice:s3cretPa55@db.example/mm?sslmode=require",
        "host=db.example user=alice password=s3cretPa55 dbname=mm",
        "host=db.example password = 's3cret Pa55\\' x' dbname=mm",
        "postgresql://db.example/mm?user=alice&password=s3cretPa55&sslmode=require",
        "PASSWORD=s3cretPa55",
    ])
    func scrubRemovesPasswords(text: String) {
        let scrubbed = PGConninfo.scrub(text)
        #expect(!scrubbed.contains("s3cret"))
        #expect(!scrubbed.contains("Pa55"))
        #expect(scrubbed.contains("***"))
    }

    @Test func scrubKeepsTheRest() {
        #expect(PGConninfo.scrub("postgresql://alice:pw@db.example:5432/mm") == "postgresql://alice:***@db.example:5432/mm")
        #expect(PGConninfo.scrub("host=h password=pw dbname=d") == "host=h password=*** dbname=d")
        #expect(PGConninfo.scrub("nothing secret here") == "nothing secret here")
    }

    @Test func buildsURIsThatParseBack() throws {
        let options = ["user": "al ice", "password": "p@ss:w/rd", "host": "127.0.0.1", "port": "5433",
                       "dbname": "mmetl_test", "sslmode": "disable"]
        let uri = PGConninfo.uri(from: options)
        #expect(uri == "postgresql://al%20ice:p%40ss%3Aw%2Frd@127.0.0.1:5433/mmetl_test?sslmode=disable")
        let parsed = try PGConninfo.parse(uri)
        for (key, value) in options { #expect(parsed[key] == value) }
    }

    @Test func socketHostsGoInTheQuery() throws {
        let uri = PGConninfo.uri(from: ["host": "/tmp/pg run", "port": "5432", "dbname": "d", "user": "u"])
        #expect(uri == "postgresql://u@/d?host=%2Ftmp%2Fpg%20run&port=5432")
        let parsed = try PGConninfo.parse(uri)
        #expect(parsed["host"] == "/tmp/pg run")
    }

    @Test func replacingTheDatabaseKeepsEverythingElse() throws {
        let uri = try PGConninfo.replacingDatabase(in: "host=h port=1 user=u dbname=old", with: "new")
        #expect(uri == "postgresql://u@h:1/new")
    }

    @Test func badConninfoIsAConfigErrorWithoutThePassword() {
        do {
            _ = try PGConninfo.parse("host=h password=s3cret bogus_option=1")
            Issue.record("expected an error")
        } catch let error as PGError {
            #expect(!error.description.contains("s3cret"))
            #expect(error.failureClass == .config)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func advisoryKeysAreFNV1a64() {
        #expect(PGAdvisoryKey(name: "").rawValue == Int64(bitPattern: 0xcbf2_9ce4_8422_2325))
        #expect(PGAdvisoryKey(name: "a").rawValue == Int64(bitPattern: 0xaf63_dc4c_8601_ec8c))
        #expect(PGAdvisoryKey(name: "foobar").rawValue == Int64(bitPattern: 0x8594_4171_f739_67e8))
    }

    @Test func sqlStatesAreClassified() {
        #expect(PGError.classify(sqlState: "08006") == .transient)
        #expect(PGError.classify(sqlState: "08P01") == .terminal)
        #expect(PGError.classify(sqlState: "40001") == .transient)
        #expect(PGError.classify(sqlState: "40P01") == .transient)
        #expect(PGError.classify(sqlState: "57P01") == .transient)
        #expect(PGError.classify(sqlState: "53300") == .transient)
        #expect(PGError.classify(sqlState: "28P01") == .config)
        #expect(PGError.classify(sqlState: "3D000") == .config)
        #expect(PGError.classify(sqlState: "23505") == .terminal)
        #expect(PGError.classify(sqlState: "42P01") == .terminal)
    }
}
