/// A compact binary form for what a build keeps between processes (`BuildMemory`):
/// variable-length integers and length-prefixed UTF-8, written and read field by
/// field in a fixed order. Foundation's Codable coders took seconds for the ~10^6
/// values of a 10,000-page site; this takes tens of milliseconds. Nothing is tagged:
/// a reader must read what the writer wrote, in order, and the file's header (format
/// version, producing binary) is what guards that. A short or damaged input throws
/// `BinaryReader.Damaged`, never traps.
public protocol BinaryCodable {
    func encode(to writer: inout BinaryWriter)
    init(from reader: inout BinaryReader) throws
}

public struct BinaryWriter {
    public private(set) var bytes: [UInt8] = []
    /// Texts written with `writeShared`, by number: a file's path sits in every location
    /// of every finding, heading and link of its page.
    private var shared: [String: Int] = [:]

    public init(reservingCapacity capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Zigzag then LEB128: small numbers of either sign take one byte.
    public mutating func write(_ number: Int) {
        var value = UInt64(bitPattern: Int64(number) << 1 ^ Int64(number) >> 63)
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    public mutating func write(_ number: Int32) { write(Int(number)) }

    public mutating func write(_ number: Int64) { write(Int(number)) }

    public mutating func write(_ number: UInt64) { write(Int(Int64(bitPattern: number))) }

    public mutating func write(_ flag: Bool) { bytes.append(flag ? 1 : 0) }

    public mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            write(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    public mutating func write(_ value: some BinaryCodable) { value.encode(to: &self) }

    /// A text that recurs: written once, then as its number.
    public mutating func writeShared(_ text: String) {
        if let number = shared[text] {
            write(number + 1)
        } else {
            write(0)
            write(text)
            shared[text] = shared.count
        }
    }

    public mutating func write<Value: BinaryCodable>(_ values: [Value]) {
        write(values.count)
        for value in values { value.encode(to: &self) }
    }

    public mutating func write(_ texts: [String]) {
        write(texts.count)
        for text in texts { write(text) }
    }

    public mutating func write(_ numbers: [Int32]) {
        write(numbers.count)
        numbers.withUnsafeBufferPointer { numbers in writeNumbers(numbers.count) { Int(numbers[$0]) } }
    }

    public mutating func write(_ numbers: [Int]) {
        write(numbers.count)
        numbers.withUnsafeBufferPointer { numbers in writeNumbers(numbers.count) { numbers[$0] } }
    }

    /// `count` numbers straight into room made for the longest they can take: appending
    /// byte by byte was most of the time of writing a search index's ~10^7 numbers.
    @inline(__always)
    private mutating func writeNumbers(_ count: Int, _ number: (Int) -> Int) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count * 10))
        let end = bytes.withUnsafeMutableBufferPointer { out in
            var at = start
            for index in 0..<count {
                let signed = number(index)
                var value = UInt64(bitPattern: Int64(signed) << 1 ^ Int64(signed) >> 63)
                while value >= 0x80 {
                    out[at] = UInt8(truncatingIfNeeded: value) | 0x80
                    at += 1
                    value >>= 7
                }
                out[at] = UInt8(value)
                at += 1
            }
            return at
        }
        bytes.removeLast(bytes.count - end)
    }

    public mutating func write(_ value: String?) {
        write(value != nil)
        if let value { write(value) }
    }

    public mutating func write(_ number: Int?) {
        write(number != nil)
        if let number { write(number) }
    }

    public mutating func write(_ value: (some BinaryCodable)?) {
        write(value != nil)
        if let value { value.encode(to: &self) }
    }

    /// Raw bytes, length first.
    public mutating func write(bytes raw: [UInt8]) {
        write(raw.count)
        bytes.append(contentsOf: raw)
    }
}

public struct BinaryReader {
    public struct Damaged: Error {
        public init() {}
    }

    private let bytes: UnsafeRawBufferPointer
    public private(set) var offset = 0
    private var shared: [String] = []

    /// `bytes` must outlive the reader (read inside `withUnsafeBytes`).
    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    public var isAtEnd: Bool { offset == bytes.count }

    // Inlined into the readers of lists here: a call per number was a fifth of reading
    // a search index.
    @inline(__always) public mutating func read() throws -> Int {
        var value: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { throw Damaged() }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        let signed = Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
        return Int(signed)
    }

    @inline(__always) public mutating func read() throws -> Int32 {
        guard let value = Int32(exactly: try read() as Int) else { throw Damaged() }
        return value
    }

    public mutating func read() throws -> Int64 { Int64(try read() as Int) }

    public mutating func read() throws -> UInt64 { UInt64(bitPattern: Int64(try read() as Int)) }

    /// A count of things that follow, each at least one byte: larger than what is left is damage.
    public mutating func readCount() throws -> Int {
        let count: Int = try read()
        guard count >= 0, count <= bytes.count - offset else { throw Damaged() }
        return count
    }

    public mutating func read() throws -> Bool {
        guard offset < bytes.count else { throw Damaged() }
        defer { offset += 1 }
        switch bytes[offset] {
        case 0: return false
        case 1: return true
        default: throw Damaged()
        }
    }

    public mutating func read() throws -> String {
        let count = try readCount()
        defer { offset += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self)
    }

    public mutating func read<Value: BinaryCodable>() throws -> Value { try Value(from: &self) }

    public mutating func readShared() throws -> String {
        let number: Int = try read()
        if number == 0 {
            let text: String = try read()
            shared.append(text)
            return text
        }
        guard number <= shared.count, number > 0 else { throw Damaged() }
        return shared[number - 1]
    }

    public mutating func read<Value: BinaryCodable>() throws -> [Value] { try readList { try Value(from: &$0) } }

    public mutating func read() throws -> [String] { try readList { try $0.read() } }

    public mutating func read() throws -> [Int32] { try readList { try $0.read() } }

    public mutating func read() throws -> [Int] { try readList { try $0.read() } }

    /// A count, then that many values. Inlined into each typed reader, so the numbers'
    /// readers stay loops over the inlined `read()`.
    @inline(__always)
    private mutating func readList<Value>(_ element: (inout BinaryReader) throws -> Value) throws -> [Value] {
        let count = try readCount()
        var values: [Value] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try element(&self)) }
        return values
    }

    public mutating func read() throws -> String? {
        try read() as Bool ? try read() as String : nil
    }

    public mutating func read() throws -> Int? {
        try read() as Bool ? try read() as Int : nil
    }

    public mutating func read<Value: BinaryCodable>() throws -> Value? {
        try read() as Bool ? try Value(from: &self) : nil
    }

    /// Raw bytes written with `write(bytes:)`, in place (valid while the reader's bytes are).
    public mutating func readSlice() throws -> UnsafeRawBufferPointer {
        let count = try readCount()
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    public mutating func readBytes() throws -> [UInt8] {
        let count = try readCount()
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }
}

extension Fingerprint: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(lanes.0)
        writer.write(lanes.1)
    }

    public init(from reader: inout BinaryReader) throws {
        self.init(lanes: (try reader.read(), try reader.read()))
    }
}

extension PageID: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.write(rawValue) }
    public init(from reader: inout BinaryReader) throws { self.init(try reader.read() as String) }
}

/// Enumerations stored by their raw text, so a reordered case list cannot shift meanings.
public protocol RawTextCodable: BinaryCodable, RawRepresentable where RawValue == String {}

extension RawTextCodable {
    public func encode(to writer: inout BinaryWriter) { writer.write(rawValue) }

    public init(from reader: inout BinaryReader) throws {
        guard let value = Self(rawValue: try reader.read()) else { throw BinaryReader.Damaged() }
        self = value
    }
}

extension PageType: RawTextCodable {}
