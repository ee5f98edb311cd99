import Foundation
import PedigreeAttest
import Testing

@Suite("DSSE pre-authentication encoding")
struct PAETests {
    /// The DSSE specification's own example (protocol.md, "Test vectors"-style):
    /// PAE("http://example.com/HelloWorld", "hello world").
    @Test func matchesTheSpecificationsLayout() {
        let pae = DSSE.pae(payloadType: "http://example.com/HelloWorld", payload: Data("hello world".utf8))
        #expect(String(decoding: pae, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
    }

    @Test func countsBytesNotCharacters() {
        let pae = DSSE.pae(payloadType: "t", payload: Data("é".utf8))
        #expect(String(decoding: pae, as: UTF8.self) == "DSSEv1 1 t 2 é")
    }
}
