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
        guard let kind = location.memoryArea else { throw .rejected("the operand is not in the CPU's memory") }
        if location.dataType == .bool {
            guard case .bool(let bit) = value else { throw .rejected("a Bool operand needs TRUE or FALSE") }
            try write(.bit(kind, offset: location.byteOffset, bit: location.bit, bit))
            return
        }
        let bytes: [UInt8]
        do {
            bytes = try value.encoded(as: location.dataType)
        } catch {
            throw .rejected("\(value) cannot be written to \(location.dataType): \(error.message)")
        }
        try write(.bytes(kind, offset: location.byteOffset, bytes))
    }
}
