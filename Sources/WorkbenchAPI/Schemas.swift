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

    /// The shape of every list answer: `{"<key>": [items], "count": n}`.
    static func list(_ key: String, _ item: JSONValue) -> JSONValue {
        object([key: array(item), "count": integer])
    }

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

    static let tag = object([
        "name": string, "dataType": string, "address": string, "tagTable": string, "comment": string,
        "externalAccessible": boolean, "externalVisible": boolean, "externalWritable": boolean,
    ])
    static let constant = object(["name": string, "dataType": string, "value": string, "comment": string])
    static let externalSource = object(["path": string, "name": string, "objects": array(string)])
    /// Members nest, so the schema lives in `components/schemas` and refers to itself there.
    static let member: JSONValue = ["$ref": "#/components/schemas/Member"]
    static let memberDefinition: JSONValue = [
        "type": "object", "required": ["name", "dataType", "members", "sections"],
        "properties": [
            "name": string, "dataType": string, "startValue": nullableString, "comment": string,
            "remanence": nullableString, "members": ["type": "array", "items": member],
            "sections": [
                "type": "array",
                "items": [
                    "type": "object", "properties": ["name": string, "members": ["type": "array", "items": member]],
                ],
            ],
        ],
    ]
    static let section = object(["name": string, "members": array(member)])
    static let network = object([
        "index": integer, "programmingLanguage": string, "title": string, "comment": string, "sourceXml": string,
    ])
    static let blockContent = object([
        "name": string, "type": string, "number": nullableInteger, "programmingLanguage": string, "folder": string,
        "file": string, "instanceOf": nullableString, "isOptimized": boolean, "networkCount": integer,
        "title": string, "comment": string, "interface": array(section), "source": nullableString,
        "networks": array(network),
    ])
    static let dataTypeDetails = object([
        "name": string, "folder": string, "file": string, "memberCount": integer, "members": array(member),
        "source": nullableString,
    ])
    /// A folder of a tree; sub-folders have the same shape.
    static let folder: JSONValue = ["$ref": "#/components/schemas/Folder"]
    static let folderDefinition: JSONValue = [
        "type": "object", "required": ["name", "items", "folders"],
        "properties": [
            "name": string, "items": ["type": "array", "items": ["type": "object"]],
            "folders": ["type": "array", "items": folder],
        ],
    ]

    static let snapshot = object([
        "id": integer, "createdAt": string, "actor": string, "objectKind": string, "objectPath": string,
        "reason": string, "sizeBytes": integer,
    ])
    static let job = object([
        "jobId": string, "kind": string, "status": string, "progress": number, "message": nullableString,
        "createdAt": string, "updatedAt": string, "result": [:], "error": nullableString,
    ])
    static let jobAccepted = object(["jobId": string, "status": string, "kind": string, "statusUrl": string])
    static let auditEntry = object([
        "id": integer, "at": string, "actor": string, "action": string, "target": string, "detail": nullableString,
        "outcome": string,
    ])

    /// Named schemas of `components/schemas`.
    static let components: JSONValue = [
        "Problem": APIError.schema, "Member": memberDefinition, "Folder": folderDefinition,
    ]
}
