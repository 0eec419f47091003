public import S7Compiler
public import S7Model

extension OperandLocation {
    /// The memory area of the CPU that holds the operand; nil for the local data of a block.
    public var memoryArea: MemoryAreaKind? {
        switch area {
        case .input: .input
        case .output: .output
        case .marker: .marker
        case .globalDB: .dataBlock(dbNumber)
        case .local, .instance, .none: nil
        }
    }
}

extension CPUMemoryAreas {
    /// The value of an operand located by `OperandLocator`, decoded from the CPU's bytes.
    ///
    ///     let location = try locator.locate("\"LineData\".State")
    ///     try plc.snapshot().memory.value(at: location)   // .int(20)
    public func value(at location: OperandLocation) throws(PLCError) -> PLCValue {
        guard let kind = location.memoryArea else { throw .rejected("the operand is not in the CPU's memory") }
        if location.dataType == .bool {
            let bit = try mapMemory { () throws(CPUMemoryError) in
                try read(kind) { area throws(MemoryAccessError) in try area.bit(at: location.byteOffset, location.bit) }
            }
            return .bool(bit)
        }
        let bytes = try mapMemory { () throws(CPUMemoryError) in
            try read(kind) { area throws(MemoryAccessError) in
                try (0..<location.size).map { (index) throws(MemoryAccessError) in
                    try area.byte(at: location.byteOffset + index)
                }
            }
        }
        do {
            return try PLCValue.decode(bytes, as: location.dataType)
        } catch {
            throw .rejected("\(location.dataType) cannot be shown: \(error.message)")
        }
    }
}

private func mapMemory<R>(_ body: () throws(CPUMemoryError) -> R) throws(PLCError) -> R {
    do { return try body() } catch { throw .memory(error) }
}

extension VirtualPLC {
    /// Queues writing `value` into the operand at `location` (applied at the next cycle start, see `write(_:)`).
    public func write(_ value: PLCValue, at location: OperandLocation) throws(PLCError) {
        try write(try Self.write(value, at: location))
    }

    /// Forces the input or output at `location` to `value` (see `force(_:)`).
    public func force(_ value: PLCValue, at location: OperandLocation) throws(PLCError) {
        try force(try Self.write(value, at: location))
    }

    /// Removes the force on the operand at `location`; false if it was not forced.
    @discardableResult
    public func unforce(at location: OperandLocation) -> Bool {
        guard let kind = location.memoryArea else { return false }
        let size = max(1, location.dataType.bitWidth.map { ($0 + 7) / 8 } ?? 1)
        if location.dataType == .bool {
            return unforce(.bit(kind, offset: location.byteOffset, bit: location.bit, false))
        }
        return unforce(.bytes(kind, offset: location.byteOffset, [UInt8](repeating: 0, count: size)))
    }

    /// Whether the operand at `location` is forced in `snapshot`.
    public static func isForced(_ location: OperandLocation, in snapshot: Snapshot) -> Bool {
        guard let kind = location.memoryArea else { return false }
        return snapshot.forces.contains { write in
            switch write {
            case .bit(let k, let offset, let bit, _):
                k == kind && offset == location.byteOffset && (location.dataType != .bool || bit == location.bit)
            case .bytes(let k, let offset, let bytes):
                k == kind && location.byteOffset >= offset && location.byteOffset < offset + bytes.count
            }
        }
    }

    /// The port write that puts `value` into the operand at `location`.
    static func write(_ value: PLCValue, at location: OperandLocation) throws(PLCError) -> Write {
        guard let kind = location.memoryArea else { throw .rejected("the operand is not in the CPU's memory") }
        if location.dataType == .bool {
            guard case .bool(let bit) = value else { throw .rejected("a Bool operand needs TRUE or FALSE") }
            return .bit(kind, offset: location.byteOffset, bit: location.bit, bit)
        }
        let bytes: [UInt8]
        do {
            bytes = try value.encoded(as: location.dataType)
        } catch {
            throw .rejected("\(value) cannot be written to \(location.dataType): \(error.message)")
        }
        return .bytes(kind, offset: location.byteOffset, bytes)
    }
}
