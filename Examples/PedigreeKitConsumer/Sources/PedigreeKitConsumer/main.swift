// Uses two public PedigreeKit APIs: the embedded policy set, and a safetensors header.
//
//     PedigreeKitConsumer [MODEL.safetensors]
import Foundation
import PedigreeFormat
import PedigreePolicy

switch PolicyLoader.loadEmbedded() {
case .success(let policies):
    print("embedded policies: \(policies.licences.count) licences, \(policies.models.count) base models")
case .failure(let problems):
    print("embedded policies do not load: \(problems)")
    exit(1)
}

if CommandLine.arguments.count > 1 {
    let path = CommandLine.arguments[1]
    do {
        let file = try SafetensorsFile(path: path)
        let elements = file.header.tensors.reduce(0) { $0 + $1.elementCount }
        print("\(path): \(file.header.tensors.count) tensors, \(elements) elements, \(file.fileSize) bytes")
    } catch {
        print("\(path): \(error)")
        exit(1)
    }
}
