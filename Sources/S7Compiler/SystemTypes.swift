public import S7Model

/// Interfaces of the IEC system function blocks as TIA Portal declares them (the members an instance exposes).
public enum SystemTypes {
    private static func timer(_ time: String) -> [Member] {
        [
            Member(name: "PT", dataType: time), Member(name: "ET", dataType: time),
            Member(name: "IN", dataType: "Bool"),
            Member(name: "Q", dataType: "Bool"),
        ]
    }

    private static func counter(_ value: String, up: Bool, down: Bool) -> [Member] {
        var members: [Member] = []
        if up { members += [Member(name: "CU", dataType: "Bool"), Member(name: "R", dataType: "Bool")] }
        if down { members += [Member(name: "CD", dataType: "Bool"), Member(name: "LD", dataType: "Bool")] }
        members.append(Member(name: "PV", dataType: value))
        if up { members.append(Member(name: "QU", dataType: "Bool")) }
        if down { members.append(Member(name: "QD", dataType: "Bool")) }
        if up && !down { members = members.map { $0.name == "QU" ? Member(name: "Q", dataType: "Bool") : $0 } }
        if down && !up { members = members.map { $0.name == "QD" ? Member(name: "Q", dataType: "Bool") : $0 } }
        members.append(Member(name: "CV", dataType: value))
        return members
    }

    /// Members by upper-case type name: `TON`, `TON_TIME`, `IEC_TIMER`, `CTU_INT`, `R_TRIG` ...
    public static let members: [String: [Member]] = {
        var table: [String: [Member]] = [:]
        for kind in ["TON", "TOF", "TP", "TONR"] {
            table[kind] = timer("Time")
            table[kind + "_TIME"] = timer("Time")
            table[kind + "_LTIME"] = timer("LTime")
        }
        table["TONR"]?.insert(Member(name: "R", dataType: "Bool"), at: 0)
        table["TONR_TIME"] = table["TONR"]
        table["TONR_LTIME"]?.insert(Member(name: "R", dataType: "Bool"), at: 0)
        table["IEC_TIMER"] = timer("Time")
        table["IEC_LTIMER"] = timer("LTime")
        for value in ["SInt", "Int", "DInt", "LInt", "USInt", "UInt", "UDInt", "ULInt"] {
            let suffix = "_" + value.uppercased()
            table["CTU" + suffix] = counter(value, up: true, down: false)
            table["CTD" + suffix] = counter(value, up: false, down: true)
            table["CTUD" + suffix] = counter(value, up: true, down: true)
        }
        table["CTU"] = table["CTU_INT"]
        table["CTD"] = table["CTD_INT"]
        table["CTUD"] = table["CTUD_INT"]
        table["IEC_COUNTER"] = table["CTUD_INT"]
        table["IEC_UCOUNTER"] = table["CTUD_UINT"]
        table["IEC_SCOUNTER"] = table["CTUD_SINT"]
        table["IEC_USCOUNTER"] = table["CTUD_USINT"]
        table["IEC_DCOUNTER"] = table["CTUD_DINT"]
        table["IEC_UDCOUNTER"] = table["CTUD_UDINT"]
        table["IEC_LCOUNTER"] = table["CTUD_LINT"]
        table["IEC_ULCOUNTER"] = table["CTUD_ULINT"]
        for edge in ["R_TRIG", "F_TRIG"] {
            table[edge] = [
                Member(name: "CLK", dataType: "Bool"), Member(name: "Q", dataType: "Bool"),
                Member(name: "Stat_Bit", dataType: "Bool"),
            ]
        }
        return table
    }()
}
