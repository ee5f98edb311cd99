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

    @Test func aDiffusersFolderAndAShardSetAreOneCandidateEach() throws {
        let dir = try TemporaryDirectory()
        let files = FileManager.default
        for folder in ["up/repo/unet", "up/repo/text_encoder", "up/sharded", "up/unindexed"] {
            try files.createDirectory(atPath: dir.file(folder), withIntermediateDirectories: true)
        }
        try dir.write(Array("{}".utf8), to: "up/repo/model_index.json")
        try dir.write([0], to: "up/repo/unet/diffusion_pytorch_model.safetensors")
        try dir.write([0], to: "up/repo/text_encoder/model.safetensors")
        for i in 1 ... 3 { try dir.write([0], to: "up/sharded/model-0000\(i)-of-00003.safetensors") }
        try dir.write(Array("{}".utf8), to: "up/sharded/model.safetensors.index.json")
        for i in 1 ... 2 { try dir.write([0], to: "up/unindexed/part-0000\(i)-of-00002.safetensors") }
        let single = try dir.write([0], to: "up/single.safetensors")
        let found = try CandidateFinder.find([dir.file("up")])
        let expected = [dir.file("up/repo"), dir.file("up/sharded/model.safetensors.index.json"),
                        dir.file("up/unindexed/part-00001-of-00002.safetensors"), single]
        #expect(found == expected.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.sorted())
        // Named directly, the folder is the candidate too.
        #expect(try CandidateFinder.find([dir.file("up/repo")]) == [URL(fileURLWithPath: dir.file("up/repo")).standardizedFileURL.path])
    }
}
