import Foundation

/// Writes files the way a crash cannot half-write them: a temporary file in the same folder, fsync, rename.
///
/// `write(_:to:)` returns false and touches nothing when the file already holds exactly those bytes, so a save
/// leaves unchanged files (and their modification times) alone.
public enum AtomicFile {
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    @discardableResult
    public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) -> Bool {
        if let existing = FileManager.default.contents(atPath: path), existing.elementsEqual(bytes) {
            return false
        }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
        let temporary =
            directory + "/.\((path as NSString).lastPathComponent).s7wb-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(descriptor)
                unlink(temporary)
                throw WriteError(path: path, reason: reason)
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            unlink(temporary)
            throw WriteError(path: path, reason: "fsync failed: \(reason)")
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(path: path, reason: "rename failed: \(reason)")
        }
        // Make the rename itself durable.
        let folder = open(directory, O_RDONLY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
        return true
    }
}
