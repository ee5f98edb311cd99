import Foundation
import PedigreeStore
import PedigreeSupport
import PedigreeTestSupport
import Testing

@Suite struct CandidateFinderTests {
    @Test func foldersRecurseListsResolveAndEachPathOnce() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("a/b"), withIntermediateDirectories: true)
        let deep = try dir.write([0], to: "a/b/deep.safetensors")
        let top = try dir.write([0], to: "a/top.SAFETENSORS")
        try dir.write([0], to: "a/notes.md")
        let loose = try dir.write([0], to: "loose.safetensors")
        // A list: relative to its folder, comments and blanks skipped, duplicates merged.
        try dir.write(Array("# uploads\n\nloose.safetensors\n  a/b/deep.safetensors  \n".utf8), to: "list.txt")
        let found = try CandidateFinder.find([dir.file("a"), dir.file("list.txt"), loose])
        #expect(found == [deep, top, loose].map { URL(fileURLWithPath: $0).standardizedFileURL.path }.sorted())
    }

    @Test func aMissingPathIsAOneLineError() throws {
        #expect(throws: FileAccessError.self) { try CandidateFinder.find(["/nonexistent/pedigree/uploads"]) }
    }

    @Test func listsNamingEachOtherDoNotLoop() throws {
        let dir = try TemporaryDirectory()
        try dir.write(Array("b.list\n".utf8), to: "a.list")
        try dir.write(Array("a.list\n".utf8), to: "b.list")
        #expect(throws: FileAccessError.self) { try CandidateFinder.find([dir.file("a.list")]) }
    }

    @Test func aSymlinkLoopEnds() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("f"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.file("f/loop"), withDestinationPath: dir.file("f"))
        try dir.write([0], to: "f/m.safetensors")
        #expect(try CandidateFinder.find([dir.file("f")]).count == 1)
    }
}
