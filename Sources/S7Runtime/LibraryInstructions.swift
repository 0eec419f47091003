import Foundation
import S7Compiler

extension RuntimeFault: Error {}

/// What a library instruction ends with.
enum LibraryOutcome {
    case done
    /// The instruction ran but clears ENO (a result cut to its destination, an argument out of range).
    case enoFalse
    /// An operand outside its memory area: a programming error.
    case fault(RuntimeFault)
}

// References: the slot in the high 32 bits, the byte offset in the low 32, checked where they are used.
extension BytecodeVM {
    @inline(__always) static func reference(slot: Int, offset: Int) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: slot)) << 32 | UInt64(UInt32(truncatingIfNeeded: offset))
    }

    /// The memory `reference` points at, if `size` bytes there lie inside its area.
    func memory(_ reference: UInt64, _ size: Int) throws(RuntimeFault) -> UnsafeMutableRawPointer {
        let slot = Int(reference >> 32)
        let offset = Int(Int32(truncatingIfNeeded: reference))
        guard slot < slotCount, offset >= 0, offset + size <= slotSize[slot] else {
            throw .areaLength(area: slot < slotCount ? slotName(slot) : "?", offset: offset, size: size)
        }
        return slotBase[slot] + offset
    }

    /// The current characters of the String at `reference` (never more than its maximum length).
    func readString(_ reference: UInt64) throws(RuntimeFault) -> [UInt8] {
        let header = try memory(reference, 2)
        let maximum = Int(header.load(as: UInt8.self))
        let length = min(Int(header.load(fromByteOffset: 1, as: UInt8.self)), maximum)
        let p = try memory(reference, 2 + length)
        return Array(UnsafeRawBufferPointer(start: p + 2, count: length))
    }

    /// Writes `text` into the String at `reference`, cut to its maximum length; false when it was cut.
    func writeString(_ text: [UInt8], to reference: UInt64) throws(RuntimeFault) -> Bool {
        let header = try memory(reference, 2)
        let maximum = Int(header.load(as: UInt8.self))
        let count = min(text.count, maximum)
        let p = try memory(reference, 2 + count)
        p.storeBytes(of: UInt8(count), toByteOffset: 1, as: UInt8.self)
        text.withUnsafeBytes { bytes in
            if count > 0 { (p + 2).copyMemory(from: bytes.baseAddress!, byteCount: count) }
        }
        return count == text.count
    }

    /// Runs a `.library` instruction with its window at `r`.
    @inline(never)
    func runLibrary(_ ins: BytecodeInstruction, _ r: UnsafeMutablePointer<UInt64>) -> LibraryOutcome {
        guard let instruction = LibraryInstruction(rawValue: ins.a) else { return .enoFalse }
        do throws(RuntimeFault) {
            let ok: Bool
            switch instruction {
            case .concat, .left, .right, .mid, .find, .insert, .delete, .replace, .compareStrings:
                ok = try StringLibrary.run(instruction, r, self)
            case .stringToNumber, .numberToString, .stringToValue, .valueToString:
                guard let type = UInt8(exactly: ins.e).flatMap(ValueType.init(rawValue:)) else { return .enoFalse }
                ok = try StringLibrary.convert(instruction, type, r, self)
            case .timeAdd, .timeSubtract, .timeDifference, .timeCombine, .readSystemTime, .readLocalTime:
                ok = try DateTimeLibrary.run(instruction, ins.d, r, self)
            case .peek, .poke:
                ok = try peekPoke(instruction == .poke, width: Int(ins.d), r)
            case .runtime:
                let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
                let previous = Double(bitPattern: r[1])
                r[0] = (now - previous).bitPattern
                r[1] = now.bitPattern
                ok = true
            }
            return ok ? .done : .enoFalse
        } catch {
            return .fault(error)
        }
    }
}

extension BytecodeVM {
    /// PEEK/POKE (see `LibraryInstruction.peek`): the area code and DB number pick the slot; big-endian as S7
    /// memory is. An address outside the area faults; an unknown area or DB clears ENO.
    func peekPoke(_ poke: Bool, width: Int, _ r: UnsafeMutablePointer<UInt64>) throws(RuntimeFault) -> Bool {
        let area = Int(truncatingIfNeeded: r[1]) & 0xFF
        let slot: Int
        switch area {
        case 0x81: slot = 2
        case 0x82: slot = 3
        case 0x83: slot = 4
        case 0x84:
            guard let index = dbNumbers.firstIndex(of: Int(Int32(truncatingIfNeeded: r[2]))) else { return false }
            slot = BytecodeVM.firstDBSlot + index
        default: return false
        }
        let byte = Int(Int32(truncatingIfNeeded: r[3]))
        let p = try memory(BytecodeVM.reference(slot: slot, offset: byte), max(1, width / 8))
        if width == 1 {
            let bit = Int(Int32(truncatingIfNeeded: r[4]))
            guard (0...7).contains(bit) else { throw .areaLength(area: slotName(slot), offset: byte, size: 1) }
            let value = p.load(as: UInt8.self)
            if poke {
                p.storeBytes(
                    of: r[0] & 1 != 0 ? value | 1 << bit : value & ~(1 << bit), as: UInt8.self)
            } else {
                r[0] = UInt64(value >> bit & 1)
            }
            return true
        }
        let count = width / 8
        if poke {
            for index in 0..<count {
                p.storeBytes(
                    of: UInt8(truncatingIfNeeded: r[0] >> (8 * (count - 1 - index))), toByteOffset: index,
                    as: UInt8.self)
            }
        } else {
            var value: UInt64 = 0
            for index in 0..<count { value = value << 8 | UInt64(p.load(fromByteOffset: index, as: UInt8.self)) }
            r[0] = value
        }
        return true
    }
}

/// The string instructions on S7-1500 Strings (one byte a character).
enum StringLibrary {
    /// Window positions follow `LibraryInstruction`; false for ENO = FALSE.
    static func run(
        _ instruction: LibraryInstruction, _ r: UnsafeMutablePointer<UInt64>, _ vm: BytecodeVM
    ) throws(RuntimeFault) -> Bool {
        func int(_ k: Int) -> Int { Int(Int16(truncatingIfNeeded: r[k])) }
        switch instruction {
        case .concat:
            let result = try vm.readString(r[1]) + vm.readString(r[2])
            return try vm.writeString(result, to: r[0])
        case .left, .right:
            let text = try vm.readString(r[1])
            let count = int(2)
            guard count >= 0 else {
                _ = try vm.writeString([], to: r[0])
                return false
            }
            let part = instruction == .left ? Array(text.prefix(count)) : Array(text.suffix(count))
            return try vm.writeString(part, to: r[0])
        case .mid:
            let text = try vm.readString(r[1])
            let count = int(2)
            let position = int(3)
            guard count >= 0, position >= 1 else {
                _ = try vm.writeString([], to: r[0])
                return false
            }
            let start = min(position - 1, text.count)
            return try vm.writeString(Array(text[start..<min(text.count, start + count)]), to: r[0])
        case .find:
            r[0] = UInt64(find(try vm.readString(r[2]), in: try vm.readString(r[1])))
            return true
        case .insert:
            let text = try vm.readString(r[1])
            let insertion = try vm.readString(r[2])
            let position = int(3)
            guard position >= 0 else {
                _ = try vm.writeString([], to: r[0])
                return false
            }
            let at = min(position, text.count)
            return try vm.writeString(Array(text[..<at]) + insertion + Array(text[at...]), to: r[0])
        case .delete:
            let text = try vm.readString(r[1])
            let count = int(2)
            let position = int(3)
            guard count >= 0, position >= 1 else {
                _ = try vm.writeString(text, to: r[0])
                return false
            }
            let start = min(position - 1, text.count)
            let end = min(text.count, start + count)
            return try vm.writeString(Array(text[..<start]) + Array(text[end...]), to: r[0])
        case .replace:
            let text = try vm.readString(r[1])
            let replacement = try vm.readString(r[2])
            let count = int(3)
            let position = int(4)
            guard count >= 0, position >= 1 else {
                _ = try vm.writeString([], to: r[0])
                return false
            }
            let start = min(position - 1, text.count)
            let end = min(text.count, start + count)
            return try vm.writeString(Array(text[..<start]) + replacement + Array(text[end...]), to: r[0])
        case .compareStrings:
            let a = try vm.readString(r[1])
            let b = try vm.readString(r[2])
            let order = a.lexicographicallyPrecedes(b) ? -1 : b.lexicographicallyPrecedes(a) ? 1 : 0
            r[0] = UInt64(bitPattern: Int64(order))
            return true
        default:
            return false
        }
    }

    /// The 1-based position of the first occurrence of `needle` in `text`, 0 if there is none (or `needle` is
    /// empty).
    static func find(_ needle: [UInt8], in text: [UInt8]) -> Int {
        guard !needle.isEmpty, needle.count <= text.count else { return 0 }
        for start in 0...(text.count - needle.count) where text[start..<start + needle.count].elementsEqual(needle) {
            return start + 1
        }
        return 0
    }

    /// S_CONV, STRG_VAL and VAL_STRG.
    static func convert(
        _ instruction: LibraryInstruction, _ type: ValueType, _ r: UnsafeMutablePointer<UInt64>, _ vm: BytecodeVM
    ) throws(RuntimeFault) -> Bool {
        switch instruction {
        case .numberToString:
            return try vm.writeString(Array(NumberText.format(r[1], type).utf8), to: r[0])
        case .stringToNumber:
            let text = try vm.readString(r[1])
            guard let (value, _) = NumberText.parse(text, from: 0, type, decimalComma: false) else {
                r[0] = 0
                return false
            }
            r[0] = value
            return true
        case .stringToValue:
            let text = try vm.readString(r[1])
            let format = UInt16(truncatingIfNeeded: r[2])
            let position = Int(Int16(truncatingIfNeeded: r[3]))
            guard position >= 1, position <= max(text.count, 1),
                let (value, next) = NumberText.parse(
                    text, from: position - 1, type, decimalComma: format & 1 != 0, exponent: format & 2 != 0)
            else {
                r[0] = 0
                return false
            }
            r[0] = value
            r[3] = UInt64(next + 1)
            return true
        case .valueToString:
            let size = Int(Int16(truncatingIfNeeded: r[2]))
            let precision = Int(Int16(truncatingIfNeeded: r[3]))
            let format = UInt16(truncatingIfNeeded: r[4])
            let position = Int(Int16(truncatingIfNeeded: r[5]))
            let header = try vm.memory(r[0], 2)
            let maximum = Int(header.load(as: UInt8.self))
            var text = try vm.readString(r[0])
            guard size >= 0, position >= 1, position - 1 + size <= maximum,
                let field = NumberText.field(r[1], type, size: size, precision: precision, format: format)
            else { return false }
            if text.count < position - 1 { text += [UInt8](repeating: 0x20, count: position - 1 - text.count) }
            let end = min(text.count, position - 1 + size)
            text.replaceSubrange((position - 1)..<end, with: field)
            r[5] = UInt64(position + size)
            return try vm.writeString(text, to: r[0])
        default:
            return false
        }
    }
}

/// Numbers as the S7 conversion instructions write and read them.
enum NumberText {
    /// S_CONV's text of a number: integers in decimal with a minus sign only when negative, REAL and LREAL in
    /// fixed-point notation with '.' and their significant digits (7 and 15), trailing zeros dropped.
    static func format(_ raw: UInt64, _ type: ValueType) -> String {
        switch type {
        case .real: fixedPoint(Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw))), significant: 7)
        case .lReal: fixedPoint(Double(bitPattern: raw), significant: 15)
        default: String(BytecodeVM.integerValue(raw, Int32(type.rawValue)))
        }
    }

    /// `123.45`, `-0.001`, `1000000.0`.
    static func fixedPoint(_ value: Double, significant: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : value < 0 ? "-INF" : "+INF" }
        let magnitude = Swift.abs(value)
        let whole = magnitude < 1 ? 1 : Int(Foundation.log10(magnitude)) + 1
        var text = String(format: "%.\(max(1, significant - whole))f", value)
        while text.hasSuffix("0") && !text.hasSuffix(".0") { text.removeLast() }
        return text
    }

    /// The number at `start` of `text`: leading spaces, a sign, digits (thousands separators skipped), for REAL a
    /// fraction and, with `exponent`, an exponent; nil when no digit follows. Returns the value as a register pattern
    /// of `type` and the index after it.
    static func parse(
        _ text: [UInt8], from start: Int, _ type: ValueType, decimalComma: Bool, exponent: Bool = false
    ) -> (UInt64, Int)? {
        var i = start
        while i < text.count, text[i] == 0x20 { i += 1 }
        var literal = ""
        if i < text.count, text[i] == 0x2B || text[i] == 0x2D {
            literal.append(Character(UnicodeScalar(text[i])))
            i += 1
        }
        let digitsStart = i
        // Digits, with thousands separators (',' before a decimal point '.', '.' before a decimal comma) skipped.
        let separator: UInt8 = decimalComma ? 0x2C : 0x2E
        let thousands: UInt8 = decimalComma ? 0x2E : 0x2C
        while i < text.count, (0x30...0x39).contains(text[i]) || (text[i] == thousands && i > digitsStart) {
            if text[i] != thousands { literal.append(Character(UnicodeScalar(text[i]))) }
            i += 1
        }
        if type.isFloatingPoint {
            if i < text.count, text[i] == separator {
                literal.append(".")
                i += 1
                while i < text.count, (0x30...0x39).contains(text[i]) {
                    literal.append(Character(UnicodeScalar(text[i])))
                    i += 1
                }
            }
            if exponent, i < text.count, text[i] == 0x45 || text[i] == 0x65 {
                var j = i + 1
                var power = "e"
                if j < text.count, text[j] == 0x2B || text[j] == 0x2D {
                    power.append(Character(UnicodeScalar(text[j])))
                    j += 1
                }
                let exponentDigits = j
                while j < text.count, (0x30...0x39).contains(text[j]) {
                    power.append(Character(UnicodeScalar(text[j])))
                    j += 1
                }
                if j > exponentDigits {
                    literal += power
                    i = j
                }
            }
        }
        guard i > digitsStart, let digit = literal.last, digit.isNumber || digit == "." else { return nil }
        if type.isFloatingPoint {
            guard let value = Double(literal) else { return nil }
            if type == .real {
                let single = Float(value)
                guard single.isFinite else { return nil }
                return (UInt64(single.bitPattern), i)
            }
            return (value.bitPattern, i)
        }
        guard let value = Int128(literal) else { return nil }
        let (bits, ok) = BytecodeVM.convertInteger(
            UInt64(truncatingIfNeeded: value), from: Int32(ValueType.lInt.rawValue), to: UInt16(type.rawValue))
        guard ok, value >= Int128(Int64.min), value <= Int128(Int64.max) else { return nil }
        return (bits, i)
    }

    /// VAL_STRG's field of `size` characters: the number right-aligned with leading spaces, `precision` fraction
    /// digits (for an integer: the decimal point `precision` digits from the right). FORMAT bit 0: decimal comma,
    /// bit 1: exponential (`-1.2300E-3`), bit 2: a sign also when positive. Nil when it does not fit.
    static func field(
        _ raw: UInt64, _ type: ValueType, size: Int, precision: Int, format: UInt16
    ) -> [UInt8]? {
        var text: String
        if type.isFloatingPoint {
            let value =
                type == .real ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw))) : Double(bitPattern: raw)
            guard value.isFinite else { return nil }
            let digits = max(0, precision)
            if format & 2 != 0 {
                // One digit before the point, an exponent with its sign and no leading zeros.
                let formatted = String(format: "%.\(digits)E", value)
                let parts = formatted.split(separator: "E")
                let power = Int(parts.count == 2 ? parts[1] : "0") ?? 0
                text = "\(parts[0])E\(power < 0 ? "-" : "+")\(abs(power))"
            } else {
                text = String(format: "%.\(digits)f", value)
            }
        } else {
            let value = BytecodeVM.integerValue(raw, Int32(type.rawValue))
            text = String(value)
            if precision > 0 {
                var digits = String(value.magnitude)
                if digits.count <= precision {
                    digits = String(repeating: "0", count: precision - digits.count + 1) + digits
                }
                let split = digits.index(digits.endIndex, offsetBy: -precision)
                text = (value < 0 ? "-" : "") + digits[..<split] + "." + digits[split...]
            }
        }
        if format & 1 != 0 { text = text.replacingOccurrences(of: ".", with: ",") }
        if format & 4 != 0, !text.hasPrefix("-") { text = "+" + text }
        let bytes = Array(text.utf8)
        guard bytes.count <= size, precision < size || precision == 0 else { return nil }
        return [UInt8](repeating: 0x20, count: size - bytes.count) + bytes
    }
}

/// The date and time instructions. Points in time are computed as nanoseconds since 1970-01-01 00:00, times of
/// day and durations as nanoseconds; each operand kind (`DateTimeKind`) is read and written in its own format and
/// range.
enum DateTimeLibrary {
    static let nanosecondsPerDay: Int64 = 86_400_000_000_000
    /// Days from 1970-01-01 to 1990-01-01, where DATE and DT begin.
    static let daysTo1990: Int64 = 7305
    static let dtLimit = (try? civilNanoseconds(year: 2090, month: 1, day: 1)) ?? 0
    static let dtStart = daysTo1990 * nanosecondsPerDay

    static func run(
        _ instruction: LibraryInstruction, _ d: Int32, _ r: UnsafeMutablePointer<UInt64>, _ vm: BytecodeVM
    ) throws(RuntimeFault) -> Bool {
        let first = DateTimeKind(rawValue: d & 0xFF) ?? .time
        let second = DateTimeKind(rawValue: d >> 8) ?? .time
        switch instruction {
        case .timeAdd, .timeSubtract:
            guard let point = try read(r, 1, first, vm), let duration = try read(r, 2, second, vm) else {
                return false
            }
            var (result, overflow) =
                instruction == .timeAdd
                ? point.addingReportingOverflow(duration) : point.subtractingReportingOverflow(duration)
            if first == .timeOfDay || first == .lTimeOfDay {
                result = ((result % nanosecondsPerDay) + nanosecondsPerDay) % nanosecondsPerDay
            }
            guard !overflow else { return false }
            return try write(result, r, 0, first, vm)
        case .timeDifference:
            guard let a = try read(r, 1, first, vm), let b = try read(r, 2, first, vm) else { return false }
            let (result, overflow) = a.subtractingReportingOverflow(b)
            guard !overflow else { return false }
            return try write(result, r, 0, second, vm)
        case .timeCombine:
            guard let date = try read(r, 1, .date, vm), let time = try read(r, 2, second, vm) else { return false }
            return try write(date + time, r, 0, first, vm)
        case .readSystemTime, .readLocalTime:
            let now = vm.systemTime + (instruction == .readLocalTime ? vm.localTimeOffset : 0)
            r[0] = 0
            return try write(now, r, 1, first, vm)
        default:
            return false
        }
    }

    /// Operand `k` of kind `kind` in nanoseconds; nil when its value is not a valid date or time.
    static func read(
        _ r: UnsafeMutablePointer<UInt64>, _ k: Int, _ kind: DateTimeKind, _ vm: BytecodeVM
    ) throws(RuntimeFault) -> Int64? {
        let raw = r[k]
        switch kind {
        case .time: return Int64(Int32(truncatingIfNeeded: raw)) * 1_000_000
        case .lTime: return Int64(bitPattern: raw)
        case .date: return (Int64(raw & 0xFFFF) + daysTo1990) * nanosecondsPerDay
        case .timeOfDay:
            let ms = Int64(raw & 0xFFFF_FFFF)
            return ms < 86_400_000 ? ms * 1_000_000 : nil
        case .lTimeOfDay:
            let ns = Int64(bitPattern: raw)
            return ns >= 0 && ns < nanosecondsPerDay ? ns : nil
        case .ldt:
            let ns = Int64(bitPattern: raw)
            return ns >= 0 ? ns : nil
        case .dateAndTime:
            var digits: [Int] = []
            for shift in stride(from: 56, through: 0, by: -8) {
                let byte = Int((raw >> UInt64(shift)) & 0xFF)
                digits.append(byte >> 4)
                digits.append(byte & 0xF)
            }
            guard digits.dropLast().allSatisfy({ $0 <= 9 }) else { return nil }
            func pair(_ i: Int) -> Int { digits[2 * i] * 10 + digits[2 * i + 1] }
            let yy = pair(0)
            let year = yy >= 90 ? 1900 + yy : 2000 + yy
            let ms = digits[12] * 100 + digits[13] * 10 + digits[14]
            return try? civilNanoseconds(
                year: year, month: pair(1), day: pair(2), hour: pair(3), minute: pair(4), second: pair(5),
                nanosecond: ms * 1_000_000)
        case .dtl:
            let p = try vm.memory(raw, 12)
            let year = Int(UInt16(bigEndian: p.loadUnaligned(as: UInt16.self)))
            func byte(_ i: Int) -> Int { Int(p.load(fromByteOffset: i, as: UInt8.self)) }
            let nanosecond = Int(UInt32(bigEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
            return try? civilNanoseconds(
                year: year, month: byte(2), day: byte(3), hour: byte(5), minute: byte(6), second: byte(7),
                nanosecond: nanosecond)
        }
    }

    /// Writes `value` as operand `k` of kind `kind`; false (nothing written) when it is outside the kind's range.
    static func write(
        _ value: Int64, _ r: UnsafeMutablePointer<UInt64>, _ k: Int, _ kind: DateTimeKind, _ vm: BytecodeVM
    ) throws(RuntimeFault) -> Bool {
        switch kind {
        case .time:
            guard let ms = Int32(exactly: value / 1_000_000) else { return false }
            r[k] = UInt64(bitPattern: Int64(ms))
        case .lTime: r[k] = UInt64(bitPattern: value)
        case .date:
            let days = value / nanosecondsPerDay - daysTo1990
            guard value >= dtStart, days <= 0xFFFF else { return false }
            r[k] = UInt64(days)
        case .timeOfDay:
            guard value >= 0, value < nanosecondsPerDay else { return false }
            r[k] = UInt64(value / 1_000_000)
        case .lTimeOfDay:
            guard value >= 0, value < nanosecondsPerDay else { return false }
            r[k] = UInt64(value)
        case .ldt:
            guard value >= 0 else { return false }
            r[k] = UInt64(value)
        case .dateAndTime:
            guard value >= dtStart, value < dtLimit else { return false }
            let c = civil(value)
            let ms = c.nanosecond / 1_000_000
            func bcd(_ n: Int) -> UInt64 { UInt64((n / 10) << 4 | (n % 10)) }
            var bits: UInt64 = 0
            for n in [c.year % 100, c.month, c.day, c.hour, c.minute, c.second, ms / 10] { bits = bits << 8 | bcd(n) }
            r[k] = bits << 8 | UInt64((ms % 10) << 4 | c.weekday)
        case .dtl:
            guard value >= 0 else { return false }
            let c = civil(value)
            let p = try vm.memory(r[k], 12)
            p.storeBytes(of: UInt16(c.year).bigEndian, as: UInt16.self)
            for (offset, n) in [(2, c.month), (3, c.day), (4, c.weekday), (5, c.hour), (6, c.minute), (7, c.second)] {
                p.storeBytes(of: UInt8(n), toByteOffset: offset, as: UInt8.self)
            }
            p.storeBytes(of: UInt32(c.nanosecond).bigEndian, toByteOffset: 8, as: UInt32.self)
        }
        return true
    }

    struct Civil {
        var year, month, day, hour, minute, second, nanosecond: Int
        /// 1 = Sunday … 7 = Saturday, as in DTL and DT.
        var weekday: Int
    }

    struct InvalidDate: Error {}

    /// Days since 1970-01-01 of a proleptic Gregorian date (the era-based day count).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilNanoseconds(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, nanosecond: Int = 0
    ) throws(InvalidDate) -> Int64 {
        let monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        guard (1970...2262).contains(year), (1...12).contains(month), day >= 1,
            day <= monthDays[month - 1] + (month == 2 && leap ? 1 : 0), (0...23).contains(hour),
            (0...59).contains(minute), (0...59).contains(second), (0..<1_000_000_000).contains(nanosecond)
        else { throw InvalidDate() }
        let seconds =
            Int64(days(year: year, month: month, day: day)) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        let (ns, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = ns.addingReportingOverflow(Int64(nanosecond))
        guard !overflow, !overflow2 else { throw InvalidDate() }
        return total
    }

    /// The calendar fields of `ns` nanoseconds since 1970 (not negative).
    static func civil(_ ns: Int64) -> Civil {
        let dayCount = Int(ns / nanosecondsPerDay)
        let rest = Int(ns % nanosecondsPerDay)
        let z = dayCount + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let seconds = rest / 1_000_000_000
        return Civil(
            year: year, month: month, day: day, hour: seconds / 3600, minute: seconds / 60 % 60, second: seconds % 60,
            nanosecond: rest % 1_000_000_000, weekday: (dayCount + 4) % 7 + 1)
    }
}
