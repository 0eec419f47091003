import Foundation
import S7Diagnostics
public import S7Model
import SCLSyntax

/// Where an operand of a watch table lives in the memory of a compiled device: `"Tag"`, `"DB".a.b[3]`, `%MW10`,
/// `%DB1.DBX0.1`.
public struct OperandLocation: Hashable, Sendable {
    public var area: AreaKind
    /// The DB number for `.globalDB`.
    public var dbNumber: Int
    public var byteOffset: Int
    public var bit: Int
    public var dataType: DataType
    /// Bytes the value takes (1 for a Bool: the byte holding the bit).
    public var size: Int
}

public struct OperandError: Error, Hashable, Sendable, CustomStringConvertible {
    public var operand: String
    public var message: String
    public var description: String { "\(operand): \(message)" }
}

/// Resolves operands the way the compiler addresses them, so values read through it match what the program sees.
///
///     let locator = OperandLocator(device: device, library: project.library)
///     let location = try locator.locate("\"Recipe\".Recipes[2].FillVolume_ml")   // DB, offset, Real
public final class OperandLocator {
    private let context: CompilationContext

    public init(device: Device, library: ProjectLibrary = ProjectLibrary()) {
        context = CompilationContext(device: device, library: library)
    }

    public func locate(_ operand: String) throws(OperandError) -> OperandLocation {
        let text = operand.trimmingCharacters(in: .whitespaces)
        let file = SourceFile(path: "operand", text: text + " := 0;")
        let parsed = SCLParser.parseStatements(file)
        guard parsed.diagnostics.isEmpty, parsed.statements.count == 1,
            case .assignment(let expression, _, _) = parsed.statements[0].kind
        else { throw OperandError(operand: text, message: "cannot read the operand") }
        let block = Block(
            name: "operand", kind: .organizationBlock, language: .scl,
            file: SourceFileRef(path: "operand", format: .sclSource))
        var compiler = BlockCompiler(context: context, block: block, unit: nil, file: file)
        let target: Target
        do {
            target = try compiler.lvalue(expression, forWriting: false)
        } catch {
            throw OperandError(operand: text, message: compiler.diagnostics.first?.message ?? "unknown operand")
        }
        guard case .memory(let place) = target, place.isStatic else {
            throw OperandError(operand: text, message: "the operand has no fixed address (use constant indexes)")
        }
        let size: Int
        if place.type == .bool {
            size = 1
        } else if let bits = try? context.types.sizeInBits(of: place.type) {
            size = (bits + 7) / 8
        } else {
            throw OperandError(operand: text, message: "\(place.type) has no size")
        }
        return OperandLocation(
            area: place.area, dbNumber: place.db, byteOffset: place.byte, bit: place.bit, dataType: place.type,
            size: size)
    }
}
