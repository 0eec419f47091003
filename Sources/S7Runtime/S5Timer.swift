import S7Compiler

/// The S5 timers (S_PULSE, S_PEXT, S_ODT, S_ODTS, S_OFFDT) as the S7-1500 runs them, on the VM's millisecond
/// clock (virtual time in stepped mode).
///
/// Each timer number has `size` bytes of state in the VM: the start time (a wrapping UDInt of the millisecond
/// clock), the preset in milliseconds, and flags (S in the previous call, running, elapsed, Q; a contact on the timer reads Q). The time value TV is an
/// S5TIME word: time base in bits 13-12 (10 ms, 100 ms, 1 s, 10 s) and three BCD digits; the remaining time comes
/// back in the same base, as BCD (the function value) and binary (BI).
enum S5TimerState {
    static let size = 16
    static let bases: [Int64] = [10, 100, 1_000, 10_000]

    /// The milliseconds of an S5TIME word and its time base code.
    static func decode(_ word: UInt64) -> (milliseconds: Int64, base: Int) {
        let base = Int(word >> 12) & 3
        let digits = Int64(word & 0xF) + Int64((word >> 4) & 0xF) * 10 + Int64((word >> 8) & 0xF) * 100
        return (digits * bases[base], base)
    }

    /// The timer's Q now, without running it (a contact on the timer): an S5 timer runs on its own on the CPU, so a
    /// time that ran out since the timer's last call already shows (S_ODT and S_ODTS switch on, the pulses and
    /// S_OFFDT off).
    static func status(_ data: UnsafeMutableRawPointer, now: UInt32) -> Bool {
        let flags = data.load(fromByteOffset: 8, as: UInt8.self)
        let q = flags & 8 != 0
        guard flags & 2 != 0, let kind = S5TimerKind(rawValue: Int32(data.load(fromByteOffset: 9, as: UInt8.self)))
        else { return q }
        let start = data.load(fromByteOffset: 0, as: UInt32.self)
        let preset = Int64(data.load(fromByteOffset: 4, as: Int32.self))
        guard Int64(now &- start) >= preset else { return q }
        switch kind {
        case .onDelay: return flags & 1 != 0
        case .retentiveOnDelay: return true
        case .pulse, .extendedPulse, .offDelay: return false
        }
    }

    /// An R coil on the timer: stopped, its time and Q cleared; the last S it saw and its kind stay.
    static func reset(_ data: UnsafeMutableRawPointer) {
        let flags = data.load(fromByteOffset: 8, as: UInt8.self)
        data.storeBytes(of: flags & 1, toByteOffset: 8, as: UInt8.self)
    }

    /// Window: 0 timer number (out: remaining time as S5TIME), 1 S, 2 TV, 3 R; out 4 BI, 5 Q.
    static func run(
        _ kind: S5TimerKind, _ r: UnsafeMutablePointer<UInt64>, _ data: UnsafeMutableRawPointer, now: UInt32
    ) {
        let s = r[1] & 1 != 0
        let (tv, base) = decode(r[2])
        let reset = r[3] & 1 != 0
        var start = data.load(fromByteOffset: 0, as: UInt32.self)
        var preset = Int64(data.load(fromByteOffset: 4, as: Int32.self))
        let flags = data.load(fromByteOffset: 8, as: UInt8.self)
        let previous = flags & 1 != 0
        var running = flags & 2 != 0
        var elapsed = flags & 4 != 0
        let rising = s && !previous
        let falling = !s && previous
        func begin() {
            start = now
            preset = tv
            running = true
            elapsed = false
        }
        switch kind {
        case .pulse, .extendedPulse, .onDelay, .retentiveOnDelay:
            if rising { begin() }
            if falling && (kind == .pulse || kind == .onDelay) {
                running = false
                elapsed = false
            }
        case .offDelay:
            if rising {
                running = false
                elapsed = false
            }
            if falling { begin() }
        }
        var remaining: Int64 = 0
        if running {
            let passed = Int64(now &- start)
            if passed >= preset {
                running = false
                elapsed = true
            } else {
                remaining = preset - passed
            }
        }
        if reset {
            running = false
            elapsed = false
            remaining = 0
        }
        let q: Bool =
            switch kind {
            case .pulse: running && s
            case .extendedPulse: running
            case .onDelay: elapsed && s
            case .retentiveOnDelay: elapsed
            case .offDelay: !reset && (s || running)
            }
        data.storeBytes(of: start, toByteOffset: 0, as: UInt32.self)
        data.storeBytes(of: Int32(clamping: preset), toByteOffset: 4, as: Int32.self)
        data.storeBytes(
            of: (s ? 1 : 0) | (running ? 2 : 0) | (elapsed ? 4 : 0) | (q ? 8 : 0), toByteOffset: 8, as: UInt8.self)
        data.storeBytes(of: UInt8(kind.rawValue), toByteOffset: 9, as: UInt8.self)
        let count = min(remaining / bases[base], 999)
        let bcd = UInt64(count % 10) | UInt64(count / 10 % 10) << 4 | UInt64(count / 100) << 8
        r[0] = UInt64(base) << 12 | bcd
        r[4] = UInt64(count)
        r[5] = q ? 1 : 0
    }
}
