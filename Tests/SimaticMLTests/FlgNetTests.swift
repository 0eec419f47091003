import Foundation
import S7Model
import S7TestSupport
import SimaticML
import Testing

private struct NotABlock: Error {
    var path: String
}

@Suite struct FlgNetTests {
    static let misc = "simaticml-decoder/tests/fixtures/SimaticML/PLC_1/Program blocks/999_MISC/"
    static let ikea = "ikea_vyatka_sorting/PLC_1/PLC_1/Program blocks/"

    /// Every corpus document holding a `<FlgNet>`, relative to the corpus, sorted.
    static let flgNetFiles: [String] = {
        guard Fixtures.corpusAvailable else { return [] }
        return Fixtures.files(below: Fixtures.corpus, endings: ["xml"]).filter { relative in
            guard let data = FileManager.default.contents(atPath: Fixtures.corpus + "/" + relative) else {
                return false
            }
            return String(decoding: data, as: UTF8.self).contains("<FlgNet")
        }
    }()

    static func block(_ relative: String) throws -> Block {
        let bytes = try #require(FileManager.default.contents(atPath: Fixtures.corpus + "/" + relative))
        let object = try SimaticMLReader.read(
            bytes: Array(bytes), file: SourceFileRef(path: relative, format: .simaticML))
        guard case .block(let block) = object else { throw NotABlock(path: relative) }
        return block
    }

    /// Network `number` (1-based, as TIA counts) of a corpus block.
    static func network(_ relative: String, _ number: Int) throws -> Network {
        let networks = try block(relative).networks
        let index = number - 1
        try #require(networks.indices.contains(index), "\(relative) has \(networks.count) networks")
        return networks[index]
    }

    static func net(_ relative: String, _ number: Int) throws -> FlgNet {
        try FlgNet(parsingNetworkSource: network(relative, number).sourceXML)
    }

    static func isLadder(_ network: Network) -> Bool {
        network.sourceXML.drop(while: \.isWhitespace).hasPrefix("<FlgNet")
    }

    static func parseError(_ xml: String) -> SimaticMLError? {
        do {
            _ = try FlgNet(parsingNetworkSource: xml)
            return nil
        } catch {
            return error
        }
    }

    // MARK: The whole corpus

    @Test(.enabled(if: Fixtures.corpusAvailable))
    func findsTheLadderBlocksOfTheCorpus() {
        #expect(Self.flgNetFiles.count >= 13, "\(Self.flgNetFiles)")
        #expect(Self.flgNetFiles.contains(Self.misc + "TIME_COUNTER_FB.xml"))
        #expect(Self.flgNetFiles.contains(where: { $0.hasSuffix("SyntheticCases_FB.xml") }))
        #expect(Self.flgNetFiles.contains(Self.ikea + "Сортировка.xml"))
    }

    /// Every LAD network parses, and its drawing shows every operand wired in it.
    @Test(.enabled(if: Fixtures.corpusAvailable), arguments: flgNetFiles)
    func everyLadderNetworkParsesAndIsDrawnWithItsOperands(relative: String) throws {
        let block = try Self.block(relative)
        var ladders = 0
        for (index, network) in block.networks.enumerated() {
            let lines = LadderRenderer.render(network: network, number: index + 1)
            #expect(lines.first?.hasPrefix("Network \(index + 1)") == true)
            guard Self.isLadder(network) else {
                #expect(lines.count >= 2)
                continue
            }
            ladders += 1
            let net = try FlgNet(parsingNetworkSource: network.sourceXML)
            #expect(!net.instructions.isEmpty, "\(relative) network \(index + 1)")
            let drawing = LadderRenderer.render(net)
            #expect(drawing.allSatisfy { $0.hasPrefix("|") }, "\(relative) network \(index + 1)")
            #expect(Array(lines.suffix(drawing.count)) == drawing)
            let text = drawing.joined(separator: "\n")
            var wired: Set<String> = []
            for wire in net.wires {
                for endpoint in wire.endpoints {
                    if case .identCon(let uid) = endpoint { wired.insert(uid) }
                }
            }
            for access in net.accesses where wired.contains(access.uid) {
                #expect(text.contains(access.operand), "\(relative) network \(index + 1): \(access.operand)")
            }
        }
        // GRAPH blocks hold ladder networks only inside their transitions.
        #expect(ladders > 0 || block.language == .graph, "\(relative)")
    }

    // MARK: Networks read by hand

    /// TIME_COUNTER_FB network 1 "COUNTERS INCREMENT": #FI_START_COUNTING, a P edge on "Clock_1Hz" (memory #E1),
    /// then INC #FIQ_TIMER.S, and two `== 60` comparisons that INC the next unit and MOVE 0 into the previous.
    @Test(.enabled(if: Fixtures.corpusAvailable))
    func readsTheCounterIncrementNetwork() throws {
        let network = try Self.network(Self.misc + "TIME_COUNTER_FB.xml", 1)
        #expect(network.title.text() == "COUNTERS INCREMENT")
        let net = try FlgNet(parsingNetworkSource: network.sourceXML)
        #expect(net.schemaVersion == 5)
        #expect(net.namespace == "http://www.siemens.com/automation/Openness/SW/NetworkSource/FlgNet/v5")
        #expect(net.labels.isEmpty)
        #expect(net.accesses.map(\.uid) == (21...34).map { String($0) })
        #expect(net.parts.map(\.name) == ["Contact", "PContact", "Inc", "Eq", "Inc", "Move", "Eq", "Inc", "Move"])
        #expect(net.parts.map(\.uid) == (35...43).map { String($0) })
        #expect(net.calls.isEmpty)
        #expect(net.wires.count == 19)
        #expect(net.wires.first?.uid == "44")
        #expect(net.wires.last?.uid == "62")

        #expect(
            net.accesses.prefix(4).map(\.operand) == ["#FI_START_COUNTING", "\"Clock_1Hz\"", "#E1", "#FIQ_TIMER.S"])
        let clock = try #require(net.access("22"))
        #expect(clock.scope == .globalVariable)
        #expect(clock.symbol == [FlgNet.Component(name: "Clock_1Hz")])
        let sixty = try #require(net.access("26"))
        #expect(sixty.scope == .literalConstant)
        #expect(sixty.constant == FlgNet.Constant(type: "USInt", value: "60"))
        #expect(sixty.operand == "60")

        guard case .part(let inc)? = net.instruction("37") else {
            Issue.record("UId 37 is not a part")
            return
        }
        #expect(inc.name == "Inc")
        #expect(inc.disabledENO)
        #expect(inc.templateValue("DestType") == "USInt")
        #expect(inc.templateValues == [FlgNet.TemplateValue(name: "DestType", type: "Type", value: "USInt")])
        let move = try #require(net.parts.first(where: { $0.uid == "40" }))
        #expect(move.templateValues == [FlgNet.TemplateValue(name: "Card", type: "Cardinality", value: "1")])
        let edge = try #require(net.parts.first(where: { $0.uid == "36" }))
        #expect(edge.name == "PContact")
        #expect(edge.negatedPins.isEmpty)
        #expect(edge.instance == nil)

        #expect(net.wires.first?.endpoints == [.powerrail, .nameCon("35", pin: "in")])
        let fanOut = try #require(net.wires.first(where: { $0.uid == "49" }))
        #expect(fanOut.source == .nameCon("36", pin: "out"))
        #expect(
            fanOut.sinks == [.nameCon("37", pin: "en"), .nameCon("38", pin: "pre"), .nameCon("41", pin: "pre")])
        let store = try #require(net.wires.first(where: { $0.uid == "56" }))
        #expect(store.endpoints == [.nameCon("40", pin: "out1"), .identCon("29")])

        #expect(net.operands(of: "36", pin: "bit") == ["#E1"])
        #expect(net.operands(of: "36", pin: "operand") == ["\"Clock_1Hz\""])
        #expect(net.operands(of: "38", pin: "in2") == ["60"])
        #expect(net.operands(of: "40", pin: "out1") == ["#FIQ_TIMER.S"])
        #expect(net.operands(of: "35", pin: "in").isEmpty)

        // The drawing: the edge on the rail's rung, INC and the first comparison branching off its output.
        let lines = LadderRenderer.render(net)
        #expect(lines.count == 28)
        #expect(lines.first == "|                                        #FIQ_TIMER.S")
        #expect(lines.contains("|  #FI_START_COUNTING    \"Clock_1Hz\"     |  USInt   |"))
        #expect(lines.contains("|---------| |----------------|P|------+--|EN     ENO|"))
        #expect(lines.contains("|                            #E1      |  +----------+"))
        #expect(lines.contains("|                                     +------|==|------+--|EN     ENO|"))
    }

    /// MotorSoftstart network 13 "Work time counter" calls TIME_COUNTER_FB with the multi-instance #C_WORK_TIME.
    @Test(.enabled(if: Fixtures.corpusAvailable))
    func readsACallOfAnFBWithItsMultiInstance() throws {
        let net = try Self.net(Self.misc + "MotorSoftstart.xml", 13)
        #expect(net.parts.isEmpty)
        let call = try #require(net.calls.first)
        #expect(net.calls.count == 1)
        #expect(call.uid == "23")
        #expect(call.name == "TIME_COUNTER_FB")
        #expect(call.blockType == "FB")
        #expect(call.instance?.scope == .localVariable)
        #expect(call.instance?.operand == "#C_WORK_TIME")
        #expect(
            call.parameters == [
                FlgNet.Parameter(name: "FI_START_COUNTING", section: "Input", type: "Bool"),
                FlgNet.Parameter(name: "FIQ_TIMER", section: "InOut", type: "\"UDT_WORK_CNT\""),
            ])
        #expect(net.wires.count == 3)
        #expect(net.wires.first?.endpoints == [.powerrail, .nameCon("23", pin: "en")])
        #expect(net.operands(of: "23", pin: "FI_START_COUNTING") == ["#motorConfirmed"])
        #expect(net.operands(of: "23", pin: "FIQ_TIMER") == ["#FIQ_WorkTime"])

        #expect(
            LadderRenderer.render(net) == [
                "|                      #C_WORK_TIME",
                "|                  +-------------------+",
                "|                  | \"TIME_COUNTER_FB\" |",
                "|------------------|EN              ENO|",
                "|#motorConfirmed --|FI_START_COUNTING  |",
                "|  #FIQ_WorkTime --|FIQ_TIMER          |",
                "|                  +-------------------+",
            ])
    }

    /// MotorSoftstart network 5 "Alarm - circuit protection": a TON with its instance, its ET left open, feeding
    /// the S1 input of an RS whose R comes from an OR of two rungs.
    @Test(.enabled(if: Fixtures.corpusAvailable))
    func readsATimerAndAFlipFlopWithTwoPowerInputs() throws {
        let net = try Self.net(Self.misc + "MotorSoftstart.xml", 5)
        #expect(net.parts.map(\.name) == ["Contact", "Contact", "Contact", "O", "Contact", "Contact", "TON", "Rs"])
        let timer = try #require(net.parts.first(where: { $0.name == "TON" }))
        #expect(timer.uid == "34")
        #expect(timer.version == "1.0")
        #expect(
            timer.instance
                == FlgNet.Instance(
                    uid: "35", scope: .localVariable,
                    components: [FlgNet.Component(name: "Timers"), FlgNet.Component(name: "CircuitProtection")]))
        #expect(timer.instance?.operand == "#Timers.CircuitProtection")
        #expect(timer.templateValue("time_type") == "Time")
        #expect(net.wires.contains(where: { $0.endpoints == [.nameCon("34", pin: "ET"), .openCon("37")] }))
        #expect(net.operands(of: "34", pin: "PT") == ["\"HMI_Settings_DB\".AlarmDelays.Protection"])
        let negated = net.parts.filter { $0.isNegated("operand") }.map(\.uid)
        #expect(negated == ["30", "32"])

        let lines = LadderRenderer.render(net)
        #expect(lines.first?.hasSuffix("#FQ_AlarmCircuitProtection") == true)
        #expect(lines.contains(where: { $0.hasSuffix("|R                       |") }))
        #expect(lines.contains(where: { $0.contains("|IN                    Q|---|S1                      |") }))
        let delay = "\"HMI_Settings_DB\".AlarmDelays.Protection --|PT                   ET|"
        #expect(lines.contains(where: { $0.contains(delay) }))
        #expect(lines.contains(where: { $0.hasPrefix("|-------|/|------------------------------+   ") }))
    }

    /// TIA V16 (FlgNet v4) exports: names that are not identifiers are quoted, periphery access and array indices.
    @Test(.enabled(if: Fixtures.corpusAvailable))
    func writesOperandsAsTIAShowsThem() throws {
        let sorting = try Self.net(Self.ikea + "Сортировка.xml", 2)
        #expect(sorting.schemaVersion == 4)
        #expect(sorting.access("23")?.operand == "#\"TrigE76.4\"")
        #expect(sorting.access("27")?.operand == "\"H77.0\"")

        let loading = try Self.net(Self.ikea + "Загрузка.xml", 7)
        let periphery = try #require(loading.access("40"))
        #expect(periphery.symbol == [FlgNet.Component(name: "K1-212U", simpleAccess: "Periphery")])
        #expect(periphery.operand == "\"K1-212U\":P")
        #expect(loading.access("37")?.operand == "-50.0")

        let alarms = try Self.net(
            "simaticml-decoder/tests/fixtures/SimaticML/PLC_1/Program blocks/200_Alarms/AlarmsContainer.xml", 2)
        let edge = try #require(alarms.access("24"))
        #expect(edge.operand == "#Edge[0]")
        let index = try #require(edge.symbol?.first?.indices.first)
        #expect(edge.symbol?.first?.accessModifier == "Array")
        #expect(index.uid == "")
        #expect(index.constant == FlgNet.Constant(type: "DInt", value: "0"))
    }

    /// The synthetic block calls two FCs with nothing wired: both boxes are drawn, EN unconnected.
    @Test(.enabled(if: Fixtures.corpusAvailable))
    func drawsCallsWithoutWires() throws {
        let net = try Self.net(
            "simaticml-decoder/tests/fixtures/SimaticML_synthetic/PLC_1/Program blocks/SyntheticCases_FB.xml", 1)
        #expect(net.calls.map(\.name) == ["Unexported_Helper", "AmbiguousTarget"])
        #expect(net.calls.map(\.blockType) == ["FC", "FC"])
        #expect(net.calls.allSatisfy { $0.instance == nil && $0.parameters.isEmpty })
        #expect(net.wires.isEmpty)
        let lines = LadderRenderer.render(net)
        #expect(lines.filter { $0.contains("... --|EN") }.count == 2)
        #expect(lines.contains(where: { $0.contains("\"Unexported_Helper\"") }))
        #expect(lines.contains(where: { $0.contains("\"AmbiguousTarget\"") }))
    }

    // MARK: Drawings checked by hand

    /// MotorSoftstart network 1 "General conditions": three contacts in series, two normally closed, and a coil.
    @Test(.enabled(if: Fixtures.corpusAvailable))
    func drawsContactsInSeriesAndACoil() throws {
        let network = try Self.network(Self.misc + "MotorSoftstart.xml", 1)
        #expect(
            LadderRenderer.render(network: network, number: 1) == [
                "Network 1: General conditions",
                "|  #FI_ProfinetOK    #FI_EmergencyStop    #Alarm    #generalConditions",
                "|-------| |-----------------|/|------------|/|-------------( )----------",
            ])
    }

    /// MotorSoftstart network 3 "Control authorisation": two contacts, then #FI_AutoConditions OR #FI_ManualMode.
    @Test(.enabled(if: Fixtures.corpusAvailable))
    func drawsAnOrAsStackedBranchesJoinedWithPlus() throws {
        let net = try Self.net(Self.misc + "MotorSoftstart.xml", 3)
        #expect(
            LadderRenderer.render(net) == [
                "|  #generalConditions    #FI_ContactorON     #FI_AutoConditions     #Authorisation",
                "|---------| |------------------| |--------+---------| |----------+-------( )--------",
                "|                                         |  #FI_ManualMode      |",
                "|                                         +-------| |------------+",
            ])
    }

    /// TIME_COUNTER_FB network 2 "RESET TIME COUNTER": one contact feeding three MOVE boxes.
    @Test(.enabled(if: Fixtures.corpusAvailable))
    func drawsBoxesOnBranchesOfOneOutput() throws {
        let net = try Self.net(Self.misc + "TIME_COUNTER_FB.xml", 2)
        #expect(
            LadderRenderer.render(net) == [
                "|                                        +--------+",
                "|  \"HMI_Counters_DB\".ResetCounters       |  MOVE  |",
                "|----------------| |----------------+----|EN   ENO|",
                "|                                   |0 --|IN  OUT1|- #FIQ_TIMER.S",
                "|                                   |    +--------+",
                "|                                   |    +--------+",
                "|                                   |    |  MOVE  |",
                "|                                   +----|EN   ENO|",
                "|                                   |0 --|IN  OUT1|- #FIQ_TIMER.M",
                "|                                   |    +--------+",
                "|                                   |    +--------+",
                "|                                   |    |  MOVE  |",
                "|                                   +----|EN   ENO|",
                "|                                    0 --|IN  OUT1|- #FIQ_TIMER.H",
                "|                                        +--------+",
            ])
    }

    @Test func drawsAFlipFlopFedByTwoRungs() throws {
        let xml = """
            <FlgNet xmlns="http://www.siemens.com/automation/Openness/SW/NetworkSource/FlgNet/v5">
              <Parts>
                <Access Scope="GlobalVariable" UId="21"><Symbol><Component Name="Set" /></Symbol></Access>
                <Access Scope="GlobalVariable" UId="22"><Symbol><Component Name="Reset" /></Symbol></Access>
                <Access Scope="GlobalVariable" UId="23"><Symbol><Component Name="Latch" /></Symbol></Access>
                <Part Name="Contact" UId="24" />
                <Part Name="Contact" UId="25" />
                <Part Name="Sr" UId="26" />
              </Parts>
              <Wires>
                <Wire UId="27"><Powerrail /><NameCon UId="24" Name="in" /><NameCon UId="25" Name="in" /></Wire>
                <Wire UId="28"><IdentCon UId="21" /><NameCon UId="24" Name="operand" /></Wire>
                <Wire UId="29"><IdentCon UId="22" /><NameCon UId="25" Name="operand" /></Wire>
                <Wire UId="30"><NameCon UId="24" Name="out" /><NameCon UId="26" Name="s" /></Wire>
                <Wire UId="31"><NameCon UId="25" Name="out" /><NameCon UId="26" Name="r1" /></Wire>
                <Wire UId="32"><IdentCon UId="23" /><NameCon UId="26" Name="operand" /></Wire>
              </Wires>
            </FlgNet>
            """
        let net = try FlgNet(parsingNetworkSource: xml)
        #expect(net.wires.first?.endpoints == [.powerrail, .nameCon("24", pin: "in"), .nameCon("25", pin: "in")])
        #expect(
            LadderRenderer.render(net) == [
                "|            \"Latch\"",
                "|            +-----+",
                "|  \"Set\"     | SR  |",
                "|---| |------|S    |",
                "|  \"Reset\"   |     |",
                "|----| |-----|R1   |",
                "|            +-----+",
            ])
    }

    @Test func readsJumpsAndLabels() throws {
        let xml = """
            <FlgNet xmlns="http://www.siemens.com/automation/Openness/SW/NetworkSource/FlgNet/v5">
              <Labels><LabelDeclaration UId="20"><Label Name="M001" /></LabelDeclaration></Labels>
              <Parts>
                <Access Scope="GlobalVariable" UId="21"><Symbol><Component Name="Start" /></Symbol></Access>
                <Access Scope="Label" UId="22"><Label Name="END" /></Access>
                <Part Name="Contact" UId="23" />
                <Part Name="Jump" UId="24" />
              </Parts>
              <Wires>
                <Wire UId="25"><Powerrail /><NameCon UId="23" Name="in" /></Wire>
                <Wire UId="26"><IdentCon UId="21" /><NameCon UId="23" Name="operand" /></Wire>
                <Wire UId="27"><NameCon UId="23" Name="out" /><NameCon UId="24" Name="in" /></Wire>
                <Wire UId="28"><IdentCon UId="22" /><NameCon UId="24" Name="label" /></Wire>
              </Wires>
            </FlgNet>
            """
        let net = try FlgNet(parsingNetworkSource: xml)
        #expect(net.labels == [FlgNet.Label(uid: "20", name: "M001")])
        #expect(net.access("22")?.scope == .label)
        #expect(net.access("22")?.operand == "END")
        #expect(LadderRenderer.render(net) == ["M001:", "|  \"Start\"     END", "|----| |------(JMP)--"])
    }

    @Test func formatsAddressesAndPaths() {
        #expect(FlgNet.Address(area: "Input", type: "Bool", bitOffset: 3).text == "%I0.3")
        #expect(FlgNet.Address(area: "Memory", type: "Word", bitOffset: 80).text == "%MW10")
        #expect(FlgNet.Address(area: "DB", type: "Bool", blockNumber: 5, bitOffset: 17).text == "%DB5.DBX2.1")
        let index = FlgNet.Access(uid: "", scope: .localVariable, symbol: [FlgNet.Component(name: "i")])
        let path = [
            FlgNet.Component(name: "Motor DB"),
            FlgNet.Component(name: "speed", indices: [index], accessModifier: "Array"),
            FlgNet.Component(name: "flags", sliceAccess: "x1"),
        ]
        #expect(FlgNet.Component.path(path, scope: .globalVariable) == "\"Motor DB\".speed[#i].flags.%X1")
        #expect(FlgNet.Component.path([FlgNet.Component(name: "1st")], scope: .localVariable) == "#\"1st\"")
        let named = FlgNet.Access(uid: "9", scope: .globalConstant, constant: FlgNet.Constant(name: "MAX"))
        #expect(named.operand == "\"MAX\"")
        #expect(FlgNet.Access.Scope("TypedConstant") == .typedConstant)
        #expect(FlgNet.Access.Scope("Undef") == .other("Undef"))
        #expect(FlgNet.Access.Scope("Undef").rawValue == "Undef")
    }

    // MARK: What is not a LAD network

    @Test func anEmptySourceIsAnEmptyNetwork() throws {
        let net = try FlgNet(parsingNetworkSource: "  \n ")
        #expect(net == FlgNet())
        #expect(LadderRenderer.render(net) == ["|"])
        let network = Network(language: .lad, title: MultilingualText(), comment: MultilingualText(), sourceXML: "")
        #expect(LadderRenderer.render(network: network) == ["Network", "(empty network)"])
    }

    @Test(.enabled(if: Fixtures.corpusAvailable))
    func anSCLNetworkIsShownAsItsText() throws {
        let network = try Self.network(
            "simaticml-decoder/tests/fixtures/SimaticML/PLC_1/Program blocks/200_Alarms/AlarmsContainer.xml", 3)
        #expect(network.language == .scl)
        let error = try #require(Self.parseError(network.sourceXML))
        #expect(error.message == "an SCL network (<StructuredText>) is not a LAD/FBD network")
        let lines = LadderRenderer.render(network: network)
        #expect(lines.contains { $0.hasPrefix("FOR #i := 2 TO 5 DO") }, "\(lines)")
        #expect(lines.contains { $0.contains("PEEK_BOOL(area := 16#81") }, "\(lines)")
    }

    @Test func rejectsOtherNetworkKindsByName() {
        #expect(
            Self.parseError("<StatementList/>")?.message == "an STL network (<StatementList>) is not a LAD/FBD network")
        #expect(
            Self.parseError("<Graph><Steps/></Graph>")?.message
                == "a GRAPH sequence (<Graph>) is not a LAD/FBD network")
        #expect(Self.parseError("<html/>")?.message == "not a LAD/FBD network: the network source holds <html>")
    }

    @Test func garbageGivesAnErrorWithItsPlace() {
        let notXML = "the network source is not well-formed XML: "
        let coil = "<Part Name=\"Coil\" UId=\"1\"/>"
        let cases: [(xml: String, description: String)] = [
            ("not xml at all", "1:1: " + notXML + "expected '<' to start the root element"),
            ("<FlgNet><Parts>", "1:16: " + notXML + "unexpected end of file: <Parts> is not closed"),
            ("<FlgNet>\n  <Parts><Part UId=\"1\"/></Parts></FlgNet>", "2:10: a <Part> needs a Name attribute"),
            (
                "<FlgNet><Parts><Part Name=\"Coil\"/></Parts></FlgNet>",
                "1:16: the <Part Name=\"Coil\"> needs a UId attribute"
            ),
            ("<FlgNet><Parts><Access UId=\"1\"/></Parts></FlgNet>", "1:16: an <Access> needs a Scope attribute"),
            ("<FlgNet><Parts><Call UId=\"1\"/></Parts></FlgNet>", "1:16: the <Call UId=\"1\"> has no <CallInfo>"),
            ("<FlgNet><Parts><Widget UId=\"1\"/></Parts></FlgNet>", "1:16: unexpected <Widget> in <Parts>"),
            ("<FlgNet><Parts>" + coil + coil + "</Parts></FlgNet>", "1:43: UId 1 is used twice in <Parts>"),
            (
                "<FlgNet><Parts/><Wires><Wire UId=\"9\"><Powerrail/><NameCon UId=\"5\" Name=\"in\"/></Wire></Wires>"
                    + "</FlgNet>",
                "1:24: wire 9: <NameCon UId=\"5\"> names no <Part> or <Call>"
            ),
            (
                "<FlgNet><Parts>" + coil + "</Parts><Wires><Wire UId=\"9\"><IdentCon UId=\"1\"/></Wire></Wires>"
                    + "</FlgNet>",
                "1:58: wire 9: <IdentCon UId=\"1\"> names no <Access>"
            ),
            (
                "<FlgNet><Wires><Wire UId=\"9\"><NameCon UId=\"5\"/></Wire></Wires></FlgNet>",
                "1:30: a <NameCon> in wire 9 needs UId and Name attributes"
            ),
        ]
        for (xml, description) in cases {
            let error = Self.parseError(xml)
            #expect(error?.description == description, "\(xml)")
        }
        let broken = Network(
            language: .lad, title: MultilingualText("Broken"), comment: MultilingualText("line one\nline two"),
            sourceXML: "<FlgNet><Parts>")
        #expect(
            LadderRenderer.render(network: broken, number: 7) == [
                "Network 7: Broken", "// line one", "// line two",
                "(LAD network that cannot be drawn: 1:16: " + notXML + "unexpected end of file: <Parts> is not closed)",
            ])
    }

    /// Cut and mangled networks either parse or throw, and whatever parses is drawn, never a trap.
    @Test(.enabled(if: Fixtures.corpusAvailable))
    func mangledNetworksNeverCrash() throws {
        let source = try Self.network(Self.misc + "MotorSoftstart.xml", 5).sourceXML
        let characters = Array(source)
        var random = SeededRandom(seed: 0x464C_474E)
        var parsed = 0
        for round in 0..<300 {
            var mangled = characters
            switch round {
            case 0:
                break  // the network as exported
            case 1..<100:
                mangled = Array(mangled.prefix(random.next(below: mangled.count)))
            default:
                for _ in 0..<(1 + random.next(below: 3)) where !mangled.isEmpty {
                    let start = random.next(below: mangled.count)
                    let length = 1 + random.next(below: min(40, mangled.count - start))
                    mangled.removeSubrange(start..<(start + length))
                }
            }
            let xml = String(mangled)
            if let net = try? FlgNet(parsingNetworkSource: xml) {
                parsed += 1
                _ = LadderRenderer.render(net)
            }
            let network = Network(
                language: .lad, title: MultilingualText(), comment: MultilingualText(), sourceXML: xml)
            #expect(LadderRenderer.render(network: network).count >= 2)
        }
        #expect(parsed > 0)
    }

    /// Wires that make a loop, a wire into a missing pin's instruction or an input fed twice still draw.
    @Test func oddWiringStillDraws() {
        let contact = FlgNet.Part(uid: "2", name: "Contact")
        let coil = FlgNet.Part(uid: "3", name: "Coil")
        let box = FlgNet.Part(uid: "4", name: "Add")
        let loop = FlgNet(
            accesses: [FlgNet.Access(uid: "1", scope: .localVariable, symbol: [FlgNet.Component(name: "x")])],
            instructions: [.part(contact), .part(coil), .part(box)],
            wires: [
                FlgNet.Wire(uid: "10", endpoints: [.nameCon("3", pin: "out"), .nameCon("2", pin: "in")]),
                FlgNet.Wire(uid: "11", endpoints: [.nameCon("2", pin: "out"), .nameCon("3", pin: "in")]),
                FlgNet.Wire(uid: "12", endpoints: [.identCon("1"), .nameCon("2", pin: "operand")]),
                FlgNet.Wire(uid: "13", endpoints: [.nameCon("99", pin: "out"), .nameCon("4", pin: "en")]),
                FlgNet.Wire(uid: "14", endpoints: [.powerrail, .nameCon("4", pin: "in1"), .nameCon("4", pin: "in1")]),
                FlgNet.Wire(uid: "15", endpoints: [.identCon("77"), .nameCon("4", pin: "in2")]),
                FlgNet.Wire(uid: "16", endpoints: []),
                FlgNet.Wire(uid: "17", endpoints: [.openCon("18"), .nameCon("3", pin: "operand")]),
            ])
        let text = LadderRenderer.render(loop).joined(separator: "\n")
        #expect(text.contains("<loop to"))
        #expect(text.contains("#x"))
        #expect(text.contains("ADD"))
        #expect(text.contains("<?77>"))
    }

    /// An FBD block (the golden LAD/FBD programs' FbdGates.xml): gates with a negated input, a gate feeding a
    /// gate, a comparator enabling MOVE, drawn as boxes.
    @Test func drawsFBDGatesAsBoxes() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../ProgramTests/Programs/Ladder/FbdGates.xml").standardizedFileURL.path
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let object = try SimaticMLReader.read(
            bytes: Array(bytes), file: SourceFileRef(path: "FbdGates.xml", format: .simaticML))
        guard case .block(let block) = object else { throw NotABlock(path: path) }
        #expect(block.language == .fbd)
        #expect(
            LadderRenderer.render(network: block.networks[0], number: 1) == [
                "Network 1: AND with negated input",
                "(FBD network drawn as ladder)",
                "|      +--------+",
                "|      |   &    |    \"F1\"",
                "|\"A\" --|IN1  OUT|----( )---",
                "|\"B\" -o|IN2     |",
                "|      +--------+",
            ])
        #expect(
            LadderRenderer.render(network: block.networks[1], number: 2) == [
                "Network 2: OR into XOR",
                "(FBD network drawn as ladder)",
                "|      +--------+        +--------+",
                "|      |  >=1   |        |   X    |    \"F2\"",
                "|\"A\" --|IN1  OUT|--------|IN1  OUT|----( )---",
                "|\"B\" --|IN2     |  \"C\" --|IN2     |",
                "|      +--------+        +--------+",
            ])
    }

    /// A rung wider than the terminal continues below: cut where every line has a wire or a space, the wire marked
    /// `>>` at the end of one band and the start of the next.
    @Test func wrapsAWideRungWhereTheWiresRun() {
        let lines = [
            "Network 1: Long",
            "|  \"Alpha\"     \"Beta\"      \"Gamma\"     \"Delta\"     \"Out\"",
            "|--| |---------| |---------| |---------| |---------( )---",
        ]
        let wrapped = LadderRenderer.wrap(lines, width: 36)
        #expect(
            wrapped == [
                "Network 1: Long",
                "|  \"Alpha\"     \"Beta\"      \"Gamma\"",
                "|--| |---------| |---------| |---->>",
                "",
                "       \"Delta\"     \"Out\"",
                ">>-----| |---------( )---",
            ], "\(wrapped)")
        #expect(wrapped.allSatisfy { $0.count <= 36 })
        #expect(LadderRenderer.wrap(lines, width: 200) == lines)
    }
}
