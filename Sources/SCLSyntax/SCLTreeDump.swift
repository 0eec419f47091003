/// The syntax tree as S-expressions without source ranges, for tests, debugging and tree comparison.
///
///     #x := -1 + 2 * #y;      (:= #x (+ (- 1) (* 2 #y)))
///
/// Whatever the formatter may change is left out or normalised: ranges, keyword case, the case of elementary type
/// names (`INT` and `Int` both print `Int`), whitespace inside TITLE and REGION names. Two sources whose dumps are
/// equal have the same meaning.
public enum SCLTreeDump {
    public static func dump(_ units: [SCLProgramUnit]) -> String {
        units.map(unit).joined(separator: "\n")
    }

    public static func dump(_ statements: [SCLStatement]) -> String {
        statements.map { statement($0) }.joined(separator: "\n")
    }

    public static func dump(_ expression: SCLExpression) -> String {
        self.expression(expression)
    }

    static func unit(_ unit: SCLProgramUnit) -> String {
        var lines = ["(\(unit.kind.rawValue) \(unit.name.map(name) ?? "?")"]
        if let returnType = unit.returnType { lines.append("  (returns \(type(returnType)))") }
        for item in unit.header {
            switch item {
            case .property(let keyword, let value, _):
                lines.append("  (\(keyword.rawValue) \(collapse(value)))")
            case .attributes(let list): lines.append("  \(attributes(list))")
            case .flag(let keyword, _): lines.append("  (\(keyword.rawValue))")
            case .dataBlockType(let type): lines.append("  (of \(name(type)))")
            }
        }
        for section in unit.sections {
            let options = section.options.map { " " + $0.rawValue }.joined()
            lines.append("  (\(section.kind.rawValue)\(options)\(section.isClosed ? "" : " unclosed")")
            for declaration in section.declarations { lines.append(self.declaration(declaration, indent: "    ")) }
            lines[lines.count - 1] += ")"
        }
        if let body = unit.body {
            lines.append("  (BEGIN")
            for statement in body { lines.append(self.statement(statement, indent: "    ")) }
            lines[lines.count - 1] += ")"
        }
        lines[lines.count - 1] += unit.isTerminated ? ")" : " unterminated)"
        return lines.joined(separator: "\n")
    }

    static func name(_ name: SCLName) -> String {
        switch name.kind {
        case .plain: name.text
        case .quoted: "\"\(name.text)\""
        case .local: "#" + (name.text.contains(" ") ? "\"\(name.text)\"" : name.text)
        }
    }

    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    static func attributes(_ list: SCLAttributeList) -> String {
        let entries = list.entries.map { entry -> String in
            guard let value = entry.value else { return entry.key }
            return entry.key + "=" + value
        }
        return "{" + entries.joined(separator: " ") + "}"
    }

    static func declaration(_ declaration: SCLVariableDeclaration, indent: String) -> String {
        var text = indent + "(" + declaration.names.map(name).joined(separator: ",")
        if let list = declaration.attributes { text += " " + attributes(list) }
        if let overlay = declaration.overlay { text += " AT " + name(overlay) }
        text += " : " + type(declaration.type, indent: indent)
        if let initial = declaration.initialValue { text += " := " + initializer(initial) }
        return text + ")"
    }

    static func type(_ type: SCLTypeSpec, indent: String = "") -> String {
        switch type {
        case .named(let typeName, let length, _):
            let canonical = SCLTypeNames.canonical(typeName) ?? typeName
            return length.map { "\(canonical)[\(expression($0))]" } ?? canonical
        case .userDefined(let typeName): return name(typeName)
        case .array(let dimensions, let element, _):
            let bounds = dimensions.map { dimension -> String in
                switch dimension {
                case .bounds(let low, let high): "\(expression(low))..\(expression(high))"
                case .variable: "*"
                }
            }
            return "Array[\(bounds.joined(separator: ", "))] of \(self.type(element, indent: indent))"
        case .structure(let members, _):
            let inner = members.map { declaration($0, indent: indent + "  ") }
            return (["Struct"] + inner).joined(separator: "\n") + " END_STRUCT"
        case .reference(let target, _): return "REF_TO " + self.type(target, indent: indent)
        case .error: return "<error>"
        }
    }

    static func initializer(_ initializer: SCLInitializer) -> String {
        switch initializer {
        case .expression(let value): expression(value)
        case .array(let elements, _): "[" + elements.map(self.initializer).joined(separator: ", ") + "]"
        case .repeated(let count, let values, _):
            "\(expression(count))(" + values.map(self.initializer).joined(separator: ", ") + ")"
        case .structure(let fields, _):
            "(" + fields.map { "\(name($0.name)) := \(self.initializer($0.value))" }.joined(separator: ", ") + ")"
        }
    }

    static func block(_ head: String, _ body: [SCLStatement], indent: String) -> String {
        ([indent + "(" + head] + body.map { statement($0, indent: indent + "  ") }).joined(separator: "\n") + ")"
    }

    static func statement(_ statement: SCLStatement, indent: String = "") -> String {
        switch statement.kind {
        case .assignment(let target, let op, let value):
            return indent + "(\(op.rawValue) \(expression(target)) \(expression(value)))"
        case .call(let call): return indent + self.call(call)
        case .if(let branches, let elseBody):
            var parts: [String] = []
            for (position, branch) in branches.enumerated() {
                parts.append(
                    block(
                        (position == 0 ? "IF " : "ELSIF ") + expression(branch.condition), branch.body,
                        indent: indent + "  "))
            }
            if let elseBody { parts.append(block("ELSE", elseBody, indent: indent + "  ")) }
            return ([indent + "(IF"] + parts).joined(separator: "\n") + ")"
        case .case(let selector, let clauses, let elseBody):
            var parts: [String] = []
            for clause in clauses {
                let values = clause.values.map { value -> String in
                    switch value {
                    case .single(let single): expression(single)
                    case .range(let low, let high): "\(expression(low))..\(expression(high))"
                    }
                }
                parts.append(block(values.joined(separator: ", ") + ":", clause.body, indent: indent + "  "))
            }
            if let elseBody { parts.append(block("ELSE", elseBody, indent: indent + "  ")) }
            return ([indent + "(CASE " + expression(selector)] + parts).joined(separator: "\n") + ")"
        case .for(let variable, let start, let end, let step, let body):
            let by = step.map { " BY " + expression($0) } ?? ""
            return block(
                "FOR \(expression(variable)) := \(expression(start)) TO \(expression(end))\(by)", body, indent: indent)
        case .while(let condition, let body): return block("WHILE " + expression(condition), body, indent: indent)
        case .repeat(let body, let condition):
            return block("REPEAT", body, indent: indent).dropLast() + " UNTIL \(expression(condition)))"
        case .exit: return indent + "(EXIT)"
        case .continue: return indent + "(CONTINUE)"
        case .return: return indent + "(RETURN)"
        case .goto(let label): return indent + "(GOTO \(name(label)))"
        case .label(let label): return indent + "(label \(name(label)))"
        case .region(let regionName, let body): return block("REGION " + collapse(regionName), body, indent: indent)
        case .empty: return indent + "(;)"
        }
    }

    static func call(_ call: SCLCall) -> String {
        let arguments = call.arguments.map { argument -> String in
            switch argument.kind {
            case .input: "\(argument.name.map(name) ?? "?") := \(expression(argument.value))"
            case .output: "\(argument.name.map(name) ?? "?") => \(expression(argument.value))"
            case .positional: expression(argument.value)
            }
        }
        return "(call \(expression(call.callee))" + arguments.map { " [\($0)]" }.joined() + ")"
    }

    static func expression(_ expression: SCLExpression) -> String {
        switch expression.kind {
        case .name(let value): name(value)
        case .address(let address): address
        case .literal(let literal):
            switch literal.kind {
            case .boolean(let value): value ? "TRUE" : "FALSE"
            default: literal.text
            }
        case .member(let base, let member): self.expression(base) + "." + name(member)
        case .slice(let base, let slice): self.expression(base) + "." + slice
        case .index(let base, let indices):
            self.expression(base) + "[" + indices.map { self.expression($0) }.joined(separator: ", ") + "]"
        case .call(let call): self.call(call)
        case .dereference(let base): self.expression(base) + "^"
        case .peripheral(let base): self.expression(base) + ":P"
        case .unary(let op, let operand): "(\(op.rawValue) \(self.expression(operand)))"
        case .binary(let op, let left, let right):
            "(\(op.rawValue) \(self.expression(left)) \(self.expression(right)))"
        case .parenthesized(let inner): "(paren \(self.expression(inner)))"
        case .assignment(let target, let value): "(:= \(self.expression(target)) \(self.expression(value)))"
        case .error: "<error>"
        }
    }
}

/// TIA Portal's spelling of elementary and system data type names, looked up case-insensitively.
enum SCLTypeNames {
    static let spellings: [String] = [
        "Bool", "Byte", "Word", "DWord", "LWord", "SInt", "Int", "DInt", "LInt", "USInt", "UInt", "UDInt", "ULInt",
        "Real", "LReal", "Char", "WChar", "String", "WString", "Time", "LTime", "S5Time", "Date", "Time_Of_Day",
        "LTime_Of_Day", "TOD", "LTOD", "Date_And_Time", "DT", "LDT", "DTL", "Timer", "Counter", "Void", "Variant",
        "Any", "Pointer", "DB_ANY", "DB_WWW", "DB_DYN", "Block_FB", "Block_FC", "Block_DB", "Block_SDB", "Remote",
        "HW_ANY", "HW_IO", "HW_DEVICE", "HW_SUBMODULE", "HW_INTERFACE", "HW_HSC", "HW_PWM", "HW_PTO", "OB_ANY",
        "OB_CYCLIC", "OB_DELAY", "OB_TOD", "OB_ATT", "OB_PCYCLE", "OB_HWINT", "OB_DIAG", "OB_TIMEERROR",
        "OB_STARTUP", "EVENT_ANY", "EVENT_ATT", "EVENT_HWINT", "CONN_ANY", "CONN_PRG", "CONN_OUC", "CONN_R_ID",
        "PORT", "RTM", "PIP", "AOM_IDENT", "IEC_TIMER", "IEC_LTIMER", "IEC_COUNTER", "IEC_SCOUNTER",
        "IEC_DCOUNTER", "IEC_LCOUNTER", "IEC_UCOUNTER", "IEC_USCOUNTER", "IEC_UDCOUNTER", "IEC_ULCOUNTER", "TON",
        "TOF", "TP", "TONR", "TON_TIME", "TOF_TIME", "TP_TIME", "TONR_TIME", "TON_LTIME", "TOF_LTIME", "TP_LTIME",
        "TONR_LTIME", "CTU", "CTD", "CTUD", "CTU_INT", "CTD_INT", "CTUD_INT", "CTU_DINT", "CTD_DINT", "CTUD_DINT",
        "CTU_UDINT", "CTD_UDINT", "CTUD_UDINT", "CTU_LINT", "CTD_LINT", "CTUD_LINT", "R_TRIG", "F_TRIG",
    ]

    static let byUpper: [String: String] = Dictionary(
        spellings.map { ($0.uppercased(), $0) }, uniquingKeysWith: { first, _ in first })

    /// The TIA spelling of a type name, or nil if it is not an elementary or system type.
    static func canonical(_ name: String) -> String? { byUpper[name.uppercased()] }
}
