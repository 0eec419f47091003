/// JSON Schema fragments for the OpenAPI document.
enum Schema {
    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]
    static let number: JSONValue = ["type": "number"]
    static let boolean: JSONValue = ["type": "boolean"]
    static let nullableString: JSONValue = ["type": ["string", "null"]]
    static let nullableInteger: JSONValue = ["type": ["integer", "null"]]

    static func object(_ properties: KeyValuePairs<String, JSONValue>, required: [String]? = nil) -> JSONValue {
        let names = required ?? properties.map(\.key)
        return [
            "type": "object", "properties": .object(properties.map { ($0.key, $0.value) }),
            "required": .array(names.map(JSONValue.string)),
        ]
    }

    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }

    static let block = object([
        "name": string, "type": string, "number": nullableInteger, "programmingLanguage": string, "folder": string,
        "file": string, "instanceOf": nullableString, "isOptimized": boolean, "networkCount": integer,
        "title": string, "comment": string,
    ])
    static let tagTable = object([
        "name": string, "folder": string, "file": string, "tagCount": integer, "constantCount": integer,
    ])
    static let dataType = object(["name": string, "folder": string, "file": string, "memberCount": integer])
    static let watchTable = object([
        "name": string, "type": string, "folder": string, "file": string, "entryCount": integer,
    ])
    static let deviceSummaryProperties: KeyValuePairs<String, JSONValue> = [
        "name": string, "kind": string, "folder": string, "orderNumber": nullableString, "firmware": nullableString,
        "ipAddress": nullableString, "subnetMask": nullableString, "blockCount": integer, "tagTableCount": integer,
        "tagCount": integer, "dataTypeCount": integer, "watchTableCount": integer,
    ]
    static let deviceSummary = object(deviceSummaryProperties)
    static let device = object([
        "name": string, "kind": string, "folder": string, "orderNumber": nullableString, "firmware": nullableString,
        "ipAddress": nullableString, "subnetMask": nullableString, "blockCount": integer, "tagTableCount": integer,
        "tagCount": integer, "dataTypeCount": integer, "watchTableCount": integer, "blocks": array(block),
        "tagTables": array(tagTable), "dataTypes": array(dataType), "watchTables": array(watchTable),
    ])
    static let loadProblem = object(
        ["path": string, "line": nullableInteger, "column": nullableInteger, "reason": string],
        required: ["path", "reason"])
    static let overview = object([
        "id": nullableString, "name": string, "path": string, "description": nullableString, "hasManifest": boolean,
        "devices": array(device),
        "library": object(["blocks": array(block), "dataTypes": array(dataType)]),
        "totals": object([
            "devices": integer, "blocks": integer, "tags": integer, "dataTypes": integer, "watchTables": integer,
        ]),
        "problems": array(loadProblem),
    ])
    static let session = object([
        "id": string, "name": string, "path": string, "isCurrent": boolean, "deviceCount": integer,
        "isModified": boolean, "openedAt": string, "historyPersistent": boolean,
    ])
}
