import S7Compiler
import S7Model
import Testing

/// The instance layouts the VM's built-ins use must agree with what the compiler derives for member access.
@Suite("Bytecode instance layouts")
struct BytecodeLayoutTests {
    static func layout(_ type: String) throws -> StandardLayout {
        let members = try #require(SystemTypes.members[type]).map { member in
            StructMember(member.name, try DataType(parsing: member.dataType))
        }
        return try StandardLayout(members: members)
    }

    @Test func timerMembersSitWhereStandardLayoutPutsThem() throws {
        for (type, builtin) in [("TON_TIME", BuiltinInstruction.ton), ("TOF", .tof), ("TP", .tp), ("TONR", .tonr)] {
            let layout = try Self.layout(type)
            let vm = IECTimerLayout.of(builtin)
            #expect(layout.entry("PT")?.byteOffset == vm.presetTime)
            #expect(layout.entry("ET")?.byteOffset == vm.elapsedTime)
            #expect(layout.entry("IN")?.byteOffset == vm.flags && layout.entry("IN")?.bitOffset == 0)
            #expect(layout.entry("Q")?.byteOffset == vm.flags && layout.entry("Q")?.bitOffset == 1)
            #expect(layout.entry("R")?.byteOffset == vm.reset)
            // The hidden start time fits in the 16 bytes TIA gives a timer instance.
            #expect(layout.sizeInBytes <= vm.startTime && vm.startTime + 4 <= IECTimerLayout.size)
            #expect(StandardLayout.size(of: try #require(SystemFBType(name: type))) == IECTimerLayout.size)
        }
    }

    @Test func edgeMembersMatchTheBitsTheVMUses() throws {
        let layout = try Self.layout("R_TRIG")
        #expect(layout.entry("CLK").map { [$0.byteOffset, $0.bitOffset] } == [0, 0])
        #expect(layout.entry("Q").map { [$0.byteOffset, $0.bitOffset] } == [0, 1])
        #expect(layout.entry("Stat_Bit").map { [$0.byteOffset, $0.bitOffset] } == [0, 2])
    }

    @Test func counterValuesFitTheInstanceSizes() throws {
        for (type, bytes) in [("CTU_SINT", 1), ("CTU_INT", 2), ("CTUD_DINT", 4), ("CTD_LINT", 8)] {
            let size = StandardLayout.size(of: try #require(SystemFBType(name: type)))
            #expect(IECCounterLayout.countValue(countBytes: bytes) + bytes <= size)
        }
    }
}
