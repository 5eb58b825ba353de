import Testing
@testable import WarehousePG

@Suite("Send-log key census")
struct SendLogKeyCensusTests {
    @Test func distinctKeysDoNotRepeat() {
        var c = SendLogKeyCensus()
        for i in 0..<1_000 {
            c.send(wamid: "m\(i)")
            c.status(wamid: "m\(i)", status: "sent", micros: 1_000)
            c.status(wamid: "m\(i)", status: "delivered", micros: 1_000)  // same time, other status
            c.status(wamid: "m\(i)", status: "sent", micros: 2_000)  // same status, other time
        }
        #expect(c.repeats() == (false, false))
    }

    @Test func aSecondSendOrStatusOfTheSameKeyRepeats() {
        var sends = SendLogKeyCensus()
        sends.send(wamid: "m1"); sends.send(wamid: "m2"); sends.send(wamid: "m1")
        sends.status(wamid: "m1", status: "sent", micros: 5)
        #expect(sends.repeats() == (true, false))

        var statuses = SendLogKeyCensus()
        statuses.send(wamid: "m1")
        statuses.status(wamid: "m1", status: "read", micros: 7); statuses.status(wamid: "m2", status: "read", micros: 7)
        statuses.status(wamid: "m1", status: "read", micros: 7)
        #expect(statuses.repeats() == (false, true))
    }

    /// Parts are counted by their threads and absorbed by the file's census: a key named once in
    /// each of two parts repeats.
    @Test func aKeyRepeatedAcrossPartsRepeats() {
        var file = SendLogKeyCensus(), a = SendLogKeyCensus(), b = SendLogKeyCensus()
        a.status(wamid: "m1", status: "sent", micros: 1)
        b.status(wamid: "m2", status: "sent", micros: 1)
        file.absorb(&a)
        file.absorb(&b)
        #expect(a.repeats() == (false, false))  // absorbed parts are left empty
        var again = SendLogKeyCensus()
        again.status(wamid: "m1", status: "sent", micros: 1)
        file.absorb(&again)
        #expect(file.repeats() == (false, true))
    }

    /// The COPY turns NUL into U+FFFD, so two keys that differ there are one key in the stage;
    /// and past its limit the census stops counting. Both answer "may repeat".
    @Test func aKeyWithNULOrTooManyRecordsMayRepeat() {
        var nul = SendLogKeyCensus()
        nul.send(wamid: "m\u{0}1")
        nul.send(wamid: "m\u{FFFD}1")
        #expect(nul.repeats() == (true, true))

        var full = SendLogKeyCensus(limit: 3)
        for i in 0..<4 { full.send(wamid: "m\(i)") }
        #expect(full.repeats() == (true, true))
        var part = SendLogKeyCensus(limit: 3), file = SendLogKeyCensus(limit: 3)
        for i in 0..<2 { part.send(wamid: "p\(i)"); file.send(wamid: "f\(i)") }
        file.absorb(&part)
        #expect(file.repeats() == (true, true))
    }

    /// `repeats()` empties the census: the next file starts from nothing.
    @Test func askingEmptiesTheCensus() {
        var c = SendLogKeyCensus()
        c.send(wamid: "m1"); c.send(wamid: "m1")
        #expect(c.repeats() == (true, false))
        c.send(wamid: "m1")
        #expect(c.repeats() == (false, false))
    }
}
