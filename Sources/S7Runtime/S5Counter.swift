import S7Compiler

/// The S5 counters (S_CU, S_CD, S_CUD) as the S7-1500 runs them.
///
/// Each counter number has `size` bytes of state in the VM: the count (0 to 999, binary) and the edge memory of
/// CU, CD and S (each counts or sets on its rising edge, remembered between calls). A call counts up, then down,
/// then sets the count to PV, then resets it while R is on, in this order, as the STEP 7 expansion of the box does.
/// PV and the function value are BCD words (`C#25` = 16#0025); Q is on while the count is not 0.
enum S5CounterState {
    static let size = 4

    /// Q without running the counter (a contact on it): the count is not 0.
    static func status(_ data: UnsafeMutableRawPointer) -> Bool {
        data.load(fromByteOffset: 0, as: UInt16.self) != 0
    }

    /// Window: 0 counter number (out: the count as BCD), 1 CU, 2 CD, 3 S, 4 PV, 5 R; out 6 CV, 7 Q. False (ENO)
    /// when S rises with a PV whose three low nibbles are not BCD digits; the count then stays.
    static func run(_ kind: S5CounterKind, _ r: UnsafeMutablePointer<UInt64>, _ data: UnsafeMutableRawPointer) -> Bool {
        let cu = kind != .down && r[1] & 1 != 0
        let cd = kind != .up && r[2] & 1 != 0
        let s = r[3] & 1 != 0
        let reset = r[5] & 1 != 0
        var count = data.load(fromByteOffset: 0, as: UInt16.self)
        let edges = data.load(fromByteOffset: 2, as: UInt8.self)
        var valid = true
        if cu && edges & 1 == 0 && count < 999 { count += 1 }
        if cd && edges & 2 == 0 && count > 0 { count -= 1 }
        if s && edges & 4 == 0 {
            let pv = UInt16(truncatingIfNeeded: r[4])
            let (ones, tens, hundreds) = (pv & 0xF, pv >> 4 & 0xF, pv >> 8 & 0xF)
            if ones <= 9 && tens <= 9 && hundreds <= 9 {
                count = ones + tens * 10 + hundreds * 100
            } else {
                valid = false
            }
        }
        if reset { count = 0 }
        data.storeBytes(of: count, toByteOffset: 0, as: UInt16.self)
        data.storeBytes(of: (cu ? 1 : 0) | (cd ? 2 : 0) | (s ? 4 : 0), toByteOffset: 2, as: UInt8.self)
        r[0] = UInt64(count % 10) | UInt64(count / 10 % 10) << 4 | UInt64(count / 100) << 8
        r[6] = UInt64(count)
        r[7] = count != 0 ? 1 : 0
        return valid
    }
}
