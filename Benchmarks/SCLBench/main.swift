// scl-bench: throughput of the SCL front end on about 100,000 lines, best of 5 runs per step.
//
//     swift run -c release scl-bench               the shared corpus repeated, or generated blocks without it
//     swift run -c release scl-bench --generated   always the built-in generator
//
// The corpus is `../shared/corpus` beside the repository, or `$S7WB_SHARED/corpus`; each copy of its .scl files gets
// its unit names suffixed (`"FB_IM"` → `"FB_IM_c3"`) so the text is one valid source with unique block names.
import Foundation
import S7Diagnostics
import SCLSyntax

let targetLines = 100_000
let runs = 5
let goalLinesPerSecond = 300_000

// MARK: - Source text

/// The repository root: the nearest folder above this file (symlinks resolved) that holds `Package.swift`.
func repositoryRoot() -> URL? {
    var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    while url.path != "/" {
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        url.deleteLastPathComponent()
    }
    return nil
}

func corpusFolder() -> String? {
    let shared: String
    if let environment = ProcessInfo.processInfo.environment["S7WB_SHARED"] {
        shared = environment
    } else if let root = repositoryRoot() {
        shared = root.appendingPathComponent("../shared").path
    } else {
        return nil
    }
    let corpus = URL(fileURLWithPath: shared + "/corpus").standardizedFileURL.path
    return FileManager.default.fileExists(atPath: corpus) ? corpus : nil
}

/// The corpus .scl files without a byte order mark, skipping any the lexer rejects (an unterminated comment would
/// swallow the files after it).
func corpusSources(in folder: String) -> [[UInt8]] {
    var paths: [String] = []
    let enumerator = FileManager.default.enumerator(atPath: folder)
    while let path = enumerator?.nextObject() as? String {
        if path.lowercased().hasSuffix(".scl") { paths.append(path) }
    }
    return paths.sorted().compactMap { path in
        guard let data = FileManager.default.contents(atPath: folder + "/" + path) else { return nil }
        var bytes = Array(data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let tokens = SCLLexer.tokenize(SourceFile(path: path, bytes: bytes))
        return tokens.diagnostics.isEmpty ? bytes : nil
    }
}

/// One copy of a source with every unit name suffixed by `_c<copy>`, inside the quotes of a quoted name.
func renamed(_ bytes: [UInt8], copy: Int) -> [UInt8] {
    let scan = SCLUnitScanner.scan(SCLLexer.tokenize(SourceFile(path: "copy.scl", bytes: bytes)))
    let suffix = Array("_c\(copy)".utf8)
    var result = bytes
    for range in scan.units.compactMap(\.nameRange).sorted(by: { $0.lowerBound > $1.lowerBound }) {
        let quoted = range.count >= 2 && bytes[range.upperBound - 1] == UInt8(ascii: "\"")
        result.insert(contentsOf: suffix, at: quoted ? range.upperBound - 1 : range.upperBound)
    }
    return result
}

func corpusText(_ sources: [[UInt8]]) -> [UInt8] {
    let linesPerCopy = sources.reduce(0) { $0 + SourceFile(path: "", bytes: $1).lineCount }
    let copies = max(1, (targetLines + linesPerCopy - 1) / linesPerCopy)
    var text: [UInt8] = []
    for copy in 1...copies {
        for source in sources {
            text += renamed(source, copy: copy)
            if text.last != UInt8(ascii: "\n") { text.append(UInt8(ascii: "\n")) }
        }
    }
    return text
}

/// A function block in the style of a TIA export: interface sections, a state machine, loops, timers and calls.
func generatedBlock(_ index: Int) -> String {
    let name = "FB_Station_\(index)"
    return """
        FUNCTION_BLOCK "\(name)"
        { S7_Optimized_Access := 'TRUE' }
        VERSION : 0.1
           VAR_INPUT
              enable : Bool;   // station released by the line controller
              start : Bool;
              stop : Bool;
              setpoint : Real := \(index % 90 + 10).0;
              sensors : Array[0..7] of Bool;
           END_VAR

           VAR_OUTPUT
              running : Bool;
              fault : Bool;
              speed : Real;
              status : Word;
           END_VAR

           VAR
              state : Int;
              counter : DInt;
              delayTimer : TON_TIME;
              startEdge : R_TRIG;
              history : Array[0..15] of Real;
              config : Struct
                 rampUp : Time := T#\(index % 5 + 1)s;
                 rampDown : Time := T#2s500ms;
                 maxSpeed : Real := 1500.0;
              END_STRUCT;
           END_VAR

           VAR_TEMP
              i : Int;
              sum : Real;
              active : Int;
           END_VAR


        BEGIN
        \t(* State machine of station \(index) *)
        \t#startEdge(CLK := #start AND #enable);
        \t#delayTimer(IN := #state = 2,
        \t            PT := #config.rampUp);
        \t
        \tIF NOT #enable OR #stop THEN
        \t    #state := 0;
        \tELSIF #startEdge.Q AND #state = 0 THEN
        \t    #state := 1;
        \tEND_IF;
        \t
        \tCASE #state OF
        \t    0:  // idle
        \t        #running := FALSE;
        \t        #speed := 0.0;
        \t    1:  // check sensors
        \t        #active := 0;
        \t        FOR #i := 0 TO 7 DO
        \t            IF #sensors[#i] THEN
        \t                #active := #active + 1;
        \t            END_IF;
        \t        END_FOR;
        \t        IF #active >= \(index % 4 + 2) THEN
        \t            #state := 2;
        \t        END_IF;
        \t    2:  // ramp up
        \t        #running := TRUE;
        \t        #speed := MIN(IN1 := #speed + #setpoint * 0.05, IN2 := #config.maxSpeed);
        \t        IF #delayTimer.Q THEN
        \t            #state := 3;
        \t        END_IF;
        \t    3, 4:  // run
        \t        #counter := #counter + 1;
        \t        #history[#counter MOD 16] := #speed;
        \t    ELSE
        \t        #fault := TRUE;
        \t        #state := 0;
        \tEND_CASE;
        \t
        \t#sum := 0.0;
        \tFOR #i := 0 TO 15 BY 1 DO
        \t    #sum := #sum + #history[#i];
        \tEND_FOR;
        \tWHILE #sum > 10000.0 AND NOT #fault DO
        \t    #sum := #sum / 2.0;
        \tEND_WHILE;
        \t"Log_Value"(id := \(index), value := #sum / 16.0);
        \t#status := INT_TO_WORD(#state) OR SHL(IN := WORD#16#0100, N := #active);
        \t#fault := #fault OR (#speed > #config.maxSpeed);
        END_FUNCTION_BLOCK


        """
}

func generatedText() -> [UInt8] {
    var text = ""
    var lines = 0
    var index = 1
    while lines < targetLines {
        let block = generatedBlock(index)
        lines += block.utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        text += block
        index += 1
    }
    return Array(text.utf8)
}

// MARK: - Measuring

func grouped(_ value: Int) -> String {
    let digits = String(value)
    var out = ""
    for (offset, character) in digits.enumerated() {
        if offset > 0, (digits.count - offset) % 3 == 0 { out += "," }
        out.append(character)
    }
    return out
}

func oneDecimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

func seconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
}

/// The fastest of `runs` runs of `body`, in seconds; `body` returns a number so its work is not optimized away.
func best(_ body: () -> Int) -> (seconds: Double, check: Int) {
    let clock = ContinuousClock()
    var fastest = Double.infinity
    var check = 0
    for _ in 0..<runs {
        var result = 0
        let elapsed = clock.measure { result = body() }
        fastest = min(fastest, seconds(elapsed))
        check = result
    }
    return (fastest, check)
}

let forceGenerated = CommandLine.arguments.contains("--generated")
let text: [UInt8]
let origin: String
if !forceGenerated, let folder = corpusFolder(), case let sources = corpusSources(in: folder), !sources.isEmpty {
    text = corpusText(sources)
    origin = "shared corpus (\(sources.count) .scl files, repeated) at \(folder)"
} else {
    text = generatedText()
    origin = "built-in generator (function blocks with IF/CASE/FOR/WHILE, calls, declarations)"
}
let file = SourceFile(path: "bench.scl", bytes: text)
let lines = file.lineCount
let megabytes = Double(text.count) / 1_000_000
print("source: \(origin)")

let check = SCLParser.parse(file)
print(
    "check: \(grouped(check.units.count)) units, \(grouped(check.tokens.tokens.count)) tokens, "
        + "\(grouped(check.diagnostics.count)) diagnostics")

var lexParseRate = 0
let steps: [(String, () -> Int)] = [
    ("lex", { SCLLexer.tokenize(file).tokens.count }),
    ("lex+parse", { SCLParser.parse(file).units.count }),
    ("lex+parse+format", { SCLFormatter.format(file).utf8.count }),
]
for (name, body) in steps {
    let (time, _) = best(body)
    let linesPerSecond = Int(Double(lines) / time)
    if name == "lex+parse" { lexParseRate = linesPerSecond }
    print(
        "SCL \(name): \(grouped(linesPerSecond)) lines/s, \(oneDecimal(megabytes / time)) MB/s "
            + "(\(grouped(lines)) lines, \(oneDecimal(megabytes)) MB, best of \(runs))")
}
let verdict = lexParseRate >= goalLinesPerSecond ? "PASS" : "MISS"
print("goal: lex+parse >= \(grouped(goalLinesPerSecond)) lines/s on one core: \(verdict)")
