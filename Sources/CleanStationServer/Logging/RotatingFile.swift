import Foundation

/// An append-only file rotated by size: when a write would take `path`
/// past `maxBytes`, `path` becomes `path.1`, `path.1` becomes `path.2`…,
/// and the oldest beyond `filesKept` (the live file included) is deleted.
/// Not thread-safe: its one owner (the audit exporter, one catch-up at a
/// time) hands it to a thread-pool thread for each write.
final class RotatingFile: @unchecked Sendable {
    let path: String
    let maxBytes: Int
    let filesKept: Int
    private var handle: FileHandle?
    private var size = 0

    init(path: String, maxBytes: Int, filesKept: Int) throws {
        self.path = path
        self.maxBytes = maxBytes
        self.filesKept = max(1, filesKept)
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        try open()
    }

    deinit {
        try? handle?.close()
    }

    /// Appends `lines`, each followed by a newline; a line is never split
    /// across two files.
    func append(_ lines: [String]) throws {
        for line in lines {
            let bytes = Data((line + "\n").utf8)
            if size > 0, size + bytes.count > maxBytes { try rotate() }
            try handle!.write(contentsOf: bytes)
            size += bytes.count
        }
    }

    /// The last line of the live file, if any: where a restart resumes.
    func lastLine() -> String? {
        Self.lastLine(of: path)
    }

    /// The file's last non-empty line, read from its end backwards a chunk at a time: the live audit file grows
    /// to `maxBytes` (100 MB), and reading it whole blocked the start of an instance for seconds.
    static func lastLine(of path: String, chunk: Int = 64 * 1_024) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard var end = try? handle.seekToEnd() else { return nil }
        let newline = UInt8(ascii: "\n")
        var tail: [UInt8] = []
        while end > 0 {
            let start = end - min(end, UInt64(chunk))
            guard (try? handle.seek(toOffset: start)) != nil, let bytes = try? handle.read(upToCount: Int(end - start)) else { return nil }
            tail.insert(contentsOf: bytes, at: 0)
            end = start
            if let last = tail.lastIndex(where: { $0 != newline }), let before = tail[..<last].lastIndex(of: newline) {
                return String(decoding: tail[(before + 1)...last], as: UTF8.self)
            }
        }
        return tail.lastIndex { $0 != newline }.map { String(decoding: tail[...$0], as: UTF8.self) }
    }

    private func open() throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o640]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        size = Int(try handle!.seekToEnd())
    }

    private func rotate() throws {
        try handle?.close()
        handle = nil
        let manager = FileManager.default
        func name(_ index: Int) -> String { index == 0 ? path : "\(path).\(index)" }
        try? manager.removeItem(atPath: name(filesKept - 1))
        if filesKept > 1 {
            for index in stride(from: filesKept - 2, through: 0, by: -1) where manager.fileExists(atPath: name(index)) {
                try manager.moveItem(atPath: name(index), toPath: name(index + 1))
            }
        }
        try open()
    }
}
