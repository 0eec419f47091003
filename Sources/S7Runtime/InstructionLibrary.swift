import Foundation
import S7Compiler

/// The built-in instructions (`BuiltinInstruction`) as the VM runs them: inputs from the register window, outputs
/// back into it (positions in `BuiltinInstruction`), state in instance data laid out as in a standard DB.
///
/// Timers follow the VM's millisecond clock, so they run on virtual time: a TON called every 10 ms of stepped time
/// with PT = T#100ms sets Q on the call 100 ms after IN rose, and its ET never exceeds PT.
enum InstructionLibrary {
    /// Instance bytes of `builtin` for value type `type`, or nil when the combination is not implemented.
    static func instanceSize(_ builtin: BuiltinInstruction, _ type: ValueType) -> Int {
        switch builtin {
        case .ton, .tof, .tp, .tonr: type == .lTime ? IECTimerLayout.longSize : IECTimerLayout.size
        case .rTrig, .fTrig: 2
        case .ctu, .ctd, .ctud:
            switch type.bitWidth {
            case 8: 4
            case 16: 6
            case 32: 12
            default: 24
            }
        default: 0
        }
    }

    /// Runs `ins` (a `.builtin`) and returns its ENO.
    static func run(
        _ ins: BytecodeInstruction, window r: UnsafeMutablePointer<UInt64>, instance: UnsafeMutableRawPointer,
        now: UInt32, nanoseconds: Int64
    ) -> Bool {
        guard let builtin = BuiltinInstruction(rawValue: ins.a),
            let type = UInt8(exactly: ins.e).flatMap(ValueType.init(rawValue:))
        else { return false }
        switch builtin {
        case .ton, .tof, .tp, .tonr:
            return type == .lTime
                ? timer(builtin, r, instance, long: true, now: nanoseconds)
                : timer(builtin, r, instance, long: false, now: Int64(now))
        case .rTrig, .fTrig:
            let clk = r[0] & 1 != 0
            let flags = instance.load(as: UInt8.self)
            let memory = flags & 4 != 0
            let q = builtin == .rTrig ? clk && !memory : !clk && memory
            instance.storeBytes(of: (clk ? 1 : 0) | (q ? 2 : 0) | (clk ? 4 : 0), as: UInt8.self)
            r[1] = q ? 1 : 0
            return true
        case .ctu, .ctd, .ctud: return counter(builtin, type, r, instance)
        case .s5Timer:
            if ins.d == S5TimerKind.statusOnly {
                r[5] = S5TimerState.status(instance, now: now) ? 1 : 0
                return true
            }
            if ins.d == S5TimerKind.resetOnly {
                S5TimerState.reset(instance)
                r[5] = 0
                return true
            }
            guard let kind = S5TimerKind(rawValue: ins.d) else { return false }
            S5TimerState.run(kind, r, instance, now: now)
            return true
        case .s5Counter:
            if ins.d == S5CounterKind.statusOnly {
                r[7] = S5CounterState.status(instance) ? 1 : 0
                return true
            }
            guard let kind = S5CounterKind(rawValue: ins.d) else { return false }
            return S5CounterState.run(kind, r, instance)
        case .limit:
            let low = r[0]
            let value = r[1]
            let high = r[2]
            if compare(low, high, type) > 0 {
                r[0] = value
                return false
            }
            r[0] = compare(value, low, type) < 0 ? low : compare(value, high, type) > 0 ? high : value
            return true
        case .min, .max:
            let count = max(Int(ins.d), 1)
            var best = r[0]
            for index in 1..<count {
                let order = compare(r[index], best, type)
                if builtin == .min ? order < 0 : order > 0 { best = r[index] }
            }
            r[0] = best
            return true
        case .sel:
            r[0] = r[0] & 1 != 0 ? r[2] : r[1]
            return true
        case .mux:
            let k = Int(Int32(truncatingIfNeeded: r[0]))
            guard k >= 0, k < Int(ins.d) else {
                r[0] = 0
                return false
            }
            r[0] = r[1 + k]
            return true
        case .abs, .sqrt, .ln, .exp, .sin, .cos, .tan, .asin, .acos, .atan:
            return math(builtin, type, r)
        case .shl, .shr, .rol, .ror:
            let width = UInt64(type.bitWidth)
            let mask: UInt64 = width >= 64 ? ~0 : (1 << width) - 1
            let value = r[0] & mask
            let n = r[1] & 0xFFFF_FFFF
            let result: UInt64
            switch builtin {
            case .shl: result = n >= width ? 0 : (value << n) & mask
            case .shr: result = n >= width ? 0 : value >> n
            default:
                let k = n % width
                let left = builtin == .rol ? k : (width - k) % width
                result = left == 0 ? value : ((value << left) | (value >> (width - left))) & mask
            }
            r[0] = BytecodeVM.normalised(result, type.bitWidth)
            return true
        case .swap:
            let value = r[0]
            let swapped: UInt64 =
                switch type.bitWidth {
                case 16: UInt64(UInt16(truncatingIfNeeded: value).byteSwapped)
                case 32: UInt64(UInt32(truncatingIfNeeded: value).byteSwapped)
                case 64: value.byteSwapped
                default: value
                }
            r[0] = BytecodeVM.normalised(swapped, type.bitWidth)
            return true
        }
    }

    /// -1, 0 or 1 as `a` is below, equal to or above `b` read as `type`; NaN compares equal.
    static func compare(_ a: UInt64, _ b: UInt64, _ type: ValueType) -> Int {
        switch type {
        case .real:
            let x = Float(bitPattern: UInt32(truncatingIfNeeded: a))
            let y = Float(bitPattern: UInt32(truncatingIfNeeded: b))
            return x < y ? -1 : x > y ? 1 : 0
        case .lReal:
            let x = Double(bitPattern: a)
            let y = Double(bitPattern: b)
            return x < y ? -1 : x > y ? 1 : 0
        default:
            let x = BytecodeVM.integerValue(a, Int32(type.rawValue))
            let y = BytecodeVM.integerValue(b, Int32(type.rawValue))
            return x < y ? -1 : x > y ? 1 : 0
        }
    }

    private static func math(
        _ builtin: BuiltinInstruction, _ type: ValueType, _ r: UnsafeMutablePointer<UInt64>
    )
        -> Bool
    {
        if !type.isFloatingPoint {
            // ABS of an integer: the most negative value has no positive counterpart and clears ENO.
            guard builtin == .abs else { return false }
            let value = BytecodeVM.integerValue(r[0], Int32(type.rawValue))
            let (result, ok) = BytecodeVM.convertInteger(
                UInt64(truncatingIfNeeded: value < 0 ? -value : value), from: Int32(ValueType.lInt.rawValue),
                to: UInt16(type.rawValue))
            r[0] = result
            return ok
        }
        let x = type == .real ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: r[0]))) : Double(bitPattern: r[0])
        let y: Double =
            switch builtin {
            case .abs: Swift.abs(x)
            case .sqrt: x.squareRoot()
            case .ln: x > 0 ? Foundation.log(x) : .nan
            case .exp: Foundation.exp(x)
            case .sin: Foundation.sin(x)
            case .cos: Foundation.cos(x)
            case .tan: Foundation.tan(x)
            case .asin: Foundation.asin(x)
            case .acos: Foundation.acos(x)
            default: Foundation.atan(x)
            }
        if type == .real {
            let single = Float(y)
            r[0] = UInt64(single.bitPattern)
            return single.isFinite
        }
        r[0] = y.bitPattern
        return y.isFinite
    }

    // MARK: - Timers

    /// A timer on TIME (milliseconds, `now` the wrapping UDInt clock) or LTIME (nanoseconds, `now` an LInt clock).
    private static func timer(
        _ builtin: BuiltinInstruction, _ r: UnsafeMutablePointer<UInt64>, _ data: UnsafeMutableRawPointer,
        long: Bool, now: Int64
    ) -> Bool {
        let layout = IECTimerLayout.of(builtin, long: long)
        let input = r[0] & 1 != 0
        let reset = builtin == .tonr && r[1] & 1 != 0
        let presetBits = r[builtin == .tonr ? 2 : 1]
        var preset = long ? Int64(bitPattern: presetBits) : Int64(Int32(truncatingIfNeeded: presetBits))
        let valid = preset >= 0
        if !valid { preset = 0 }
        var start: Int64
        var elapsed: Int64
        if long {
            start = Int64(bigEndian: data.loadUnaligned(fromByteOffset: layout.startTime, as: Int64.self))
            elapsed = Int64(bigEndian: data.loadUnaligned(fromByteOffset: layout.elapsedTime, as: Int64.self))
        } else {
            start = Int64(UInt32(bigEndian: data.loadUnaligned(fromByteOffset: layout.startTime, as: UInt32.self)))
            elapsed = Int64(Int32(bigEndian: data.loadUnaligned(fromByteOffset: layout.elapsedTime, as: Int32.self)))
        }
        let flags = data.load(fromByteOffset: layout.flags, as: UInt8.self)
        let previousInput = flags & 1 != 0
        var running = flags & 4 != 0
        var q = false
        /// Time since `start`: LTIME on the nanosecond clock, TIME on the wrapping millisecond clock (clamped to
        /// the TIME range).
        func since() -> Int64 {
            long
                ? max(0, now &- start)
                : Int64(Int32(clamping: Int64(UInt32(truncatingIfNeeded: now) &- UInt32(truncatingIfNeeded: start))))
        }

        switch builtin {
        case .ton:
            if input {
                if !previousInput {
                    start = now
                    running = true
                }
                elapsed = min(since(), preset)
                q = elapsed >= preset
            } else {
                elapsed = 0
                running = false
            }
        case .tof:
            if input {
                q = true
                elapsed = 0
                running = false
            } else {
                if previousInput {
                    start = now
                    running = true
                }
                if running {
                    elapsed = min(since(), preset)
                    running = elapsed < preset
                    q = running
                }
            }
        case .tp:
            if running {
                elapsed = min(since(), preset)
                running = elapsed < preset
            }
            if !running {
                if input && !previousInput {
                    start = now
                    elapsed = 0
                    running = preset > 0
                } else if !input {
                    elapsed = 0
                }
            }
            q = running
        default:  // TONR: accumulates while IN is true, R clears it.
            if reset {
                elapsed = 0
                running = false
            } else if input {
                if !running {
                    start = now
                    running = true
                }
                elapsed = min(elapsed &+ since(), preset)
                start = now
            } else {
                running = false
            }
            q = !reset && elapsed >= preset
        }
        if long {
            data.storeBytes(of: start.bigEndian, toByteOffset: layout.startTime, as: Int64.self)
            data.storeBytes(of: preset.bigEndian, toByteOffset: layout.presetTime, as: Int64.self)
            data.storeBytes(of: elapsed.bigEndian, toByteOffset: layout.elapsedTime, as: Int64.self)
        } else {
            data.storeBytes(
                of: UInt32(truncatingIfNeeded: start).bigEndian, toByteOffset: layout.startTime, as: UInt32.self)
            data.storeBytes(
                of: Int32(truncatingIfNeeded: preset).bigEndian, toByteOffset: layout.presetTime, as: Int32.self)
            data.storeBytes(
                of: Int32(truncatingIfNeeded: elapsed).bigEndian, toByteOffset: layout.elapsedTime, as: Int32.self)
        }
        let old = flags & ~7
        data.storeBytes(
            of: old | (input ? 1 : 0) | (q ? 2 : 0) | (running ? 4 : 0), toByteOffset: layout.flags, as: UInt8.self)
        if let byte = layout.reset {
            let rest = data.load(fromByteOffset: byte, as: UInt8.self) & ~1
            data.storeBytes(of: rest | (reset ? 1 : 0), toByteOffset: byte, as: UInt8.self)
        }
        let outputs = builtin == .tonr ? 3 : 2
        r[outputs] = q ? 1 : 0
        r[outputs + 1] = UInt64(bitPattern: Int64(elapsed))
        return valid
    }

    // MARK: - Counters

    /// Counter instance: see `IECCounterLayout`.
    private static func counter(
        _ builtin: BuiltinInstruction, _ type: ValueType, _ r: UnsafeMutablePointer<UInt64>,
        _ data: UnsafeMutableRawPointer
    ) -> Bool {
        let width = type.bitWidth / 8
        let typeCode = Int32(type.rawValue)
        let bit = { (index: Int) in r[index] & 1 != 0 }
        let up: Bool
        let down: Bool
        let reset: Bool
        let load: Bool
        let presetIndex: Int
        switch builtin {
        case .ctu: (up, down, reset, load, presetIndex) = (bit(0), false, bit(1), false, 2)
        case .ctd: (up, down, reset, load, presetIndex) = (false, bit(0), false, bit(1), 2)
        default: (up, down, reset, load, presetIndex) = (bit(0), bit(1), bit(2), bit(3), 4)
        }
        let preset = BytecodeVM.integerValue(r[presetIndex], typeCode)
        let flags = data.load(as: UInt8.self)
        let presetAt = IECCounterLayout.presetValue(countBytes: width)
        let countAt = IECCounterLayout.countValue(countBytes: width)
        var count = readInteger(data + countAt, width: width, type: type)
        let (low, high) = BytecodeVM.range(of: type)
        if reset {
            count = 0
        } else if load {
            count = preset
        } else {
            if up && flags & 0x40 == 0 && Double(count + 1) < high { count += 1 }
            if down && flags & 0x80 == 0 && Double(count - 1) >= low { count -= 1 }
        }
        let qu = count >= preset
        let qd = count <= 0
        writeInteger(preset, to: data + presetAt, width: width)
        writeInteger(count, to: data + countAt, width: width)
        var newFlags: UInt8 = (up ? 1 : 0) | (down ? 2 : 0) | (reset ? 4 : 0) | (load ? 8 : 0)
        newFlags |= (qu ? 0x10 : 0) | (qd ? 0x20 : 0) | (up ? 0x40 : 0) | (down ? 0x80 : 0)
        data.storeBytes(of: newFlags, toByteOffset: IECCounterLayout.flags, as: UInt8.self)
        let countBits = BytecodeVM.normalised(UInt64(truncatingIfNeeded: count), type.bitWidth)
        switch builtin {
        case .ctu:
            r[3] = qu ? 1 : 0
            r[4] = countBits
        case .ctd:
            r[3] = qd ? 1 : 0
            r[4] = countBits
        default:
            r[5] = qu ? 1 : 0
            r[6] = qd ? 1 : 0
            r[7] = countBits
        }
        return true
    }

    private static func readInteger(_ p: UnsafeMutableRawPointer, width: Int, type: ValueType) -> Int128 {
        var bits: UInt64 = 0
        for index in 0..<width { bits = bits << 8 | UInt64(p.load(fromByteOffset: index, as: UInt8.self)) }
        return BytecodeVM.integerValue(bits, Int32(type.rawValue))
    }

    private static func writeInteger(_ value: Int128, to p: UnsafeMutableRawPointer, width: Int) {
        let bits = UInt64(truncatingIfNeeded: value)
        for index in 0..<width {
            p.storeBytes(
                of: UInt8(truncatingIfNeeded: bits >> UInt64(8 * (width - 1 - index))), toByteOffset: index,
                as: UInt8.self)
        }
    }
}
