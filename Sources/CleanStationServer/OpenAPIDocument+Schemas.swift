import CleanStationCore

// One file: one list of the document's schemas, in the order it prints them;
// `OpenAPITypesTests` checks the typed answers' entries against their types.

/// The document's schemas: the bodies and answers the operations name, written by hand.
extension OpenAPIDocument {
    // MARK: Schemas

    static let schemas: [JSONMember] = [
        JSONMember(
            "Error",
            object([
                ("error", object([("code", string), ("message", string), ("details", array(ref("FieldError")))])), ("requestId", string),
            ])),
        JSONMember("FieldError", object([("field", string), ("message", string)])),
        JSONMember("Health", object([("status", string), ("version", string), ("uptimeSeconds", integer)])),
        JSONMember("Readiness", object([("status", string), ("reason", string)], required: ["status"])),
        JSONMember(
            "LoginRequest", object([("email", string), ("password", string), ("mfaCode", string)], required: ["email", "password"])),
        JSONMember("RefreshRequest", object([("refreshToken", string)])),
        JSONMember("Tokens", object([("accessToken", string), ("refreshToken", string), ("expiresIn", integer), ("user", ref("User"))])),
        JSONMember(
            "User",
            object([("id", string), ("email", string), ("fullName", string), ("initials", string), ("role", enumeration(Role.self))])),
        JSONMember("UserList", array(ref("User"))),
        JSONMember(
            "NewUser",
            object([("email", string), ("fullName", string), ("initials", string), ("role", enumeration(Role.self)), ("password", string)])),
        JSONMember(
            "SessionInfo",
            object(
                [
                    ("user", ref("User")),
                    (
                        "session",
                        object([
                            ("id", string), ("createdAt", string), ("lastSeenAt", string), ("expiresAt", string),
                            ("idleExpiresAt", string),
                        ])
                    ), ("pendingSetup", enumeration(AccountSetup.self, nullable: true)),
                ])),
        JSONMember(
            "SessionList",
            object([
                (
                    "items",
                    array(
                        object([
                            ("id", string), ("createdAt", string), ("lastSeenAt", string),
                            ("clientAddress", type("string", nullable: true)),
                            ("userAgent", type("string", nullable: true)), ("current", boolean),
                        ]))
                )
            ])),
        JSONMember("PasswordChange", object([("currentPassword", string), ("newPassword", string)])),
        JSONMember("PasswordForgot", object([("email", string)])),
        JSONMember("PasswordReset", object([("token", string), ("newPassword", string)])),
        JSONMember("Message", object([("message", string)])),
        JSONMember("MFASetup", object([("secret", string), ("otpauthUri", string)])),
        JSONMember("MFAEnable", object([("code", string), ("password", string)])),
        JSONMember("AdminPassword", object([("adminPassword", string)])),
        JSONMember("TemporaryPassword", object([("temporaryPassword", string)])),
        JSONMember("MFABackupCodes", object([("backupCodes", array(string))])),
        JSONMember(
            "UserUpdate",
            object([("fullName", string), ("initials", string), ("role", enumeration(Role.self)), ("isActive", boolean)], required: [])),
        JSONMember(
            "SinkConfiguration",
            object(
                [
                    ("buildNumber", string), ("model", enumeration(SinkModel.self)), ("width", number), ("length", number),
                    ("legs", object([("type", enumeration(LegsType.self)), ("model", enumeration(LegsModel.self))])),
                    ("feet", enumeration(Feet.self)),
                    (
                        "pegboard",
                        .object([
                            JSONMember(
                                "oneOf",
                                [
                                    type("null"),
                                    object(
                                        [
                                            ("type", enumeration(PegboardType.self)),
                                            ("color", enumeration(PegboardColor.self, nullable: true)),
                                            (
                                                "size",
                                                .object([
                                                    JSONMember("oneOf", [.object([JSONMember("const", "SAME_AS_SINK")]), dimensions2])
                                                ])
                                            ),
                                        ], required: ["type", "size"]),
                                ])
                        ])
                    ),
                    ("workflowDirection", enumeration(WorkflowDirection.self)),
                    (
                        "basins",
                        array(
                            object(
                                [
                                    ("type", enumeration(BasinType.self)),
                                    ("size", .object([JSONMember("oneOf", [enumeration(StandardBasinSize.self), dimensions3])])),
                                    ("pTrap", boolean), ("basinLight", boolean),
                                ], required: ["type", "size"]))
                    ),
                    (
                        "faucets",
                        array(
                            object([
                                ("type", enumeration(FaucetType.self)), ("quantity", integer),
                                ("placement", enumeration(FaucetPlacement.self)),
                            ]))
                    ),
                    (
                        "sprayers",
                        array(
                            object([
                                ("type", enumeration(SprayerType.self)), ("quantity", integer),
                                ("location", enumeration(SprayerLocation.self)),
                            ]))
                    ),
                    ("accessories", array(object([("id", string), ("quantity", integer)]))),
                ],
                required: ["buildNumber", "model", "width", "length", "legs", "feet", "workflowDirection", "basins"])),
        JSONMember(
            "OrderCreate",
            object(
                [
                    ("poNumber", string), ("customerName", string), ("projectName", type("string", nullable: true)),
                    ("salesPerson", string),
                    ("wantDate", .object([JSONMember("type", "string"), JSONMember("format", "date")])),
                    ("language", enumeration(Language.self)),
                    ("notes", string), ("sinkFamily", enumeration(SinkFamily.self)), ("builds", array(ref("SinkConfiguration"))),
                ], required: ["poNumber", "customerName", "salesPerson", "wantDate", "language", "sinkFamily", "builds"])),
        JSONMember(
            "OrderUpdate",
            object(
                [
                    ("poNumber", string), ("customerName", string), ("projectName", type("string", nullable: true)),
                    ("salesPerson", string),
                    ("wantDate", string), ("language", enumeration(Language.self)), ("notes", string),
                    ("customerContact", type("string", nullable: true)), ("builds", array(ref("SinkConfiguration"))),
                ], required: [])),
        JSONMember(
            "StatusOverride",
            object([("status", enumeration(OrderStatus.self)), ("reason", string), ("password", string)])),
        JSONMember("BOMRejection", object([("reason", string)])),
        JSONMember(
            "ShipmentCreate",
            object(
                [
                    ("builds", array(string)), ("shippedOn", .object([JSONMember("type", "string"), JSONMember("format", "date")])),
                    ("carrier", string), ("trackingNumber", string),
                ], required: ["builds", "carrier", "trackingNumber"])),
        JSONMember(
            "Shipment",
            object([
                ("id", string), ("builds", array(string)), ("shippedOn", string), ("carrier", string), ("trackingNumber", string),
                ("createdBy", string), ("createdAt", string), ("packingList", string),
            ])),
        JSONMember("ShipmentList", array(ref("Shipment"))),
        JSONMember(
            "Disposition",
            object(
                [
                    ("disposition", .object([JSONMember("enum", .array(Nonconformance.Disposition.codes.map { .string($0) }))])),
                    ("scope", array(enumeration(ChecklistKind.self))), ("justification", string), ("password", string),
                ], required: ["disposition", "password"])),
        // An answer as the signed record keeps it, verbatim: the item's limits and expectations only where it has them.
        JSONMember(
            "RecordAnswer",
            object(
                [
                    ("itemId", string), ("text", string), ("basin", type("integer", nullable: true)), ("unit", string), ("min", number),
                    ("max", number), ("expectedValues", array(string)), ("expectedQuantity", integer),
                    ("value", answerValue), ("na", boolean),
                    ("note", type("string", nullable: true)),
                    ("photos", array(object([("documentId", string), ("sha256", string), ("fileName", string)]))), ("passed", boolean),
                ], required: ["itemId", "value", "na", "note", "passed"], closed: false)),
        JSONMember(
            "NonconformanceStep",
            object([
                ("step", string), ("disposition", type("string", nullable: true)), ("scope", array(string)), ("justification", string),
                ("resultId", type("string", nullable: true)), ("by", string), ("at", string),
            ])),
        JSONMember(
            "Nonconformance",
            object([
                ("id", string), ("number", string), ("orderId", string), ("buildNumber", string), ("kind", enumeration(ChecklistKind.self)),
                ("resultId", string), ("state", enumeration(Nonconformance.State.self)), ("description", string),
                ("failedItems", array(ref("RecordAnswer"))), ("disposition", type("string", nullable: true)),
                ("scope", array(enumeration(ChecklistKind.self))),
                ("openedBy", string), ("openedAt", string), ("steps", array(ref("NonconformanceStep"))),
            ])),
        JSONMember("NonconformanceList", array(ref("Nonconformance"))),
        JSONMember(
            "StatusChange",
            object([("status", enumeration(OrderStatus.self)), ("note", type("string", nullable: true))], required: ["status"])),
        JSONMember(
            "OrderDetail",
            object(
                orderSummary + [
                    ("customerContact", type("string", nullable: true)),
                    (
                        "builds",
                        array(
                            object([
                                ("buildNumber", string), ("configuration", ref("SinkConfiguration")),
                                (
                                    "bomApproval",
                                    object([
                                        ("approved", boolean), ("approvedBy", type("string", nullable: true)),
                                        ("approvedAt", type("string", nullable: true)),
                                    ])
                                ), ("bomRejection", type("string", nullable: true)), ("status", enumeration(OrderStatus.self)),
                                ("heldBy", type("string", nullable: true)),
                            ]))
                    ),
                    (
                        "history",
                        array(
                            object([
                                ("at", string), ("userId", string), ("from", enumeration(OrderStatus.self, nullable: true)),
                                ("to", enumeration(OrderStatus.self)), ("buildNumber", type("string", nullable: true)),
                                ("override", boolean), ("note", string),
                            ]))
                    ), ("documents", ref("DocumentList")), ("shipments", ref("ShipmentList")),
                    ("nonconformances", ref("NonconformanceList")),
                ])),
        JSONMember(
            "OrderList",
            object([
                ("items", array(object(orderSummary + [("buildNumbers", array(string))]))), ("total", integer), ("totalExact", boolean),
                ("page", integer), ("limit", integer),
            ])),
        JSONMember(
            "BOMItem",
            object(
                [
                    ("id", string), ("itemNumber", string), ("name", type("string", nullable: true)),
                    ("kind", enumeration(BOMItemKind.self)),
                    ("quantity", integer), ("inCatalog", boolean), ("series", string), ("attributes", map(string)),
                    ("children", array(ref("BOMItem"))),
                ], required: ["id", "name", "kind", "quantity", "inCatalog", "children"])),
        JSONMember(
            "BOMLine",
            object(
                [
                    ("id", string), ("name", type("string", nullable: true)), ("kind", enumeration(BOMItemKind.self)),
                    ("quantity", integer),
                    ("inCatalog", boolean), ("series", string), ("attributes", map(string)),
                ], required: ["id", "name", "kind", "quantity", "inCatalog"])),
        JSONMember(
            "BOMDocument",
            object([
                ("buildNumber", string), ("items", array(ref("BOMItem"))), ("lines", array(ref("BOMLine"))), ("warnings", array(string)),
            ])),
        JSONMember(
            "BOMPreviewRequest",
            .object([
                JSONMember("allOf", [ref("SinkConfiguration")]),
                JSONMember("properties", .object([JSONMember("language", enumeration(Language.self))])),
            ])),
        JSONMember(
            "Document",
            object([
                ("id", string), ("kind", enumeration(Document.Kind.self)), ("fileName", string), ("contentType", string), ("size", integer),
                ("sha256", string),
            ])),
        JSONMember("DocumentList", array(ref("Document"))),
        JSONMember(
            "ChecklistInstance",
            object([
                ("templateId", string), ("templateVersion", integer), ("kind", enumeration(ChecklistKind.self)), ("buildNumber", string),
                ("instrumentRequired", boolean), ("sections", array(object([("title", string), ("items", array(ref("ChecklistItem")))]))),
            ])),
        JSONMember(
            "ChecklistItem",
            object([
                ("id", string), ("text", string), ("answerType", enumeration(AnswerType.self)), ("basin", type("integer", nullable: true)),
                ("applicable", boolean), ("notApplicableReason", type("string", nullable: true)), ("naAllowed", boolean),
                ("unit", type("string", nullable: true)), ("min", type("number", nullable: true)), ("max", type("number", nullable: true)),
                ("options", nullable(array(string))), ("failingOptions", nullable(array(string))),
                ("optionLabels", nullable(map(string))), ("noteRequiredFor", array(string)), ("expectedValues", nullable(array(string))),
                ("expectedQuantity", type("integer", nullable: true)), ("source", type("string", nullable: true)),
            ])),
        JSONMember(
            "ChecklistAnswer",
            object(
                [("itemId", string), ("value", answerValue), ("na", boolean), ("note", string), ("photos", array(string))],
                required: ["itemId"])),
        JSONMember(
            "ChecklistSubmission",
            object(
                [
                    ("answers", array(ref("ChecklistAnswer"))), ("signature", object([("password", string)])),
                    ("instrumentId", string),
                ], required: ["answers", "signature"])),
        JSONMember(
            "ChecklistDraftInput",
            object([("answers", array(ref("ChecklistAnswer"))), ("instrumentId", string)], required: ["answers"])),
        JSONMember(
            "ChecklistDraft",
            object([
                ("templateVersion", integer), ("revision", integer), ("answers", array(ref("ChecklistAnswer"))),
                ("instrumentId", type("string", nullable: true)),
                ("updatedBy", type("string", nullable: true)), ("updatedAt", type("string", nullable: true)),
            ])),
        JSONMember(
            "ChecklistResult",
            object([
                ("id", string), ("kind", enumeration(ChecklistKind.self)), ("buildNumber", string), ("templateId", string),
                ("templateVersion", integer), ("outcome", enumeration(ChecklistEvaluation.Outcome.self)), ("verified", boolean),
                ("failedItems", array(string)), ("answers", array(ref("RecordAnswer"))),
                (
                    "notApplicable",
                    array(object([("itemId", string), ("text", string), ("basin", type("integer", nullable: true)), ("reason", string)]))
                ),
                (
                    "instrument",
                    object(
                        [
                            ("id", string), ("tag", string), ("description", string), ("calibrationDue", string),
                            ("certificateSha256", type("string", nullable: true)),
                        ], nullable: true)
                ),
                (
                    "signature",
                    object([
                        ("userId", string), ("initials", string), ("fullName", string), ("signedAt", string), ("meaning", string),
                        ("sha256", string),
                    ])
                ), ("supersedes", type("string", nullable: true)), ("record", string),
            ])),
        JSONMember("TaskValue", object([("value", string)], required: [])),
        JSONMember(
            "Instrument",
            object([
                ("id", string), ("tag", string), ("description", string), ("calibrationDue", string), ("overdue", boolean),
                ("retired", boolean),
                ("certificate", object([("fileName", string), ("sha256", string), ("href", string)], nullable: true)),
            ])),
        JSONMember("InstrumentList", array(ref("Instrument"))),
        JSONMember("InstrumentCreate", object([("tag", string), ("description", string), ("calibrationDue", string)])),
        JSONMember(
            "InstrumentUpdate", object([("description", string), ("calibrationDue", string), ("retired", boolean)], required: [])),
        JSONMember(
            "FileUpload",
            object([("file", .object([JSONMember("type", "string"), JSONMember("contentMediaType", "application/octet-stream")]))])),
        JSONMember("ChecklistResultList", array(ref("ChecklistResult"))),
        JSONMember("BuildAssignment", object([("userId", string)])),
        JSONMember(
            "TemplateSummary",
            object([
                ("id", string), ("kind", enumeration(ChecklistKind.self)), ("version", integer), ("name", string), ("form", string),
                ("retired", boolean), ("items", integer),
            ])),
        JSONMember("TemplateList", array(ref("TemplateSummary"))),
        // A template as Core keeps it (`ChecklistTemplate`): what a member does not say is left out.
        JSONMember(
            "ChecklistTemplate",
            object(
                [
                    ("kind", enumeration(ChecklistKind.self)), ("name", string), ("version", integer), ("form", string),
                    ("signatureMeaning", string), ("instrumentRequired", boolean),
                    (
                        "sections",
                        array(
                            object([
                                ("title", string),
                                (
                                    "items",
                                    array(
                                        object(
                                            [
                                                ("id", string), ("text", string), ("answerType", enumeration(AnswerType.self)),
                                                ("unit", string), ("min", number), ("max", number), ("options", array(string)),
                                                ("failingOptions", array(string)), ("perBasin", boolean), ("naAllowed", boolean),
                                                ("condition", anyValue), ("quantity", anyValue), ("optionLabels", map(string)),
                                                ("noteRequiredFor", array(string)), ("expected", anyValue), ("perAccessory", boolean),
                                                ("source", string),
                                            ], required: ["id", "text", "answerType", "perBasin", "naAllowed", "condition"]))
                                ),
                            ]))
                    ),
                ], required: ["kind", "name", "version", "form", "signatureMeaning", "sections"])),
        JSONMember(
            "TemplateDetail",
            object([
                ("id", string), ("kind", enumeration(ChecklistKind.self)), ("version", integer), ("name", string), ("form", string),
                ("retired", boolean), ("items", integer), ("definition", ref("ChecklistTemplate")),
            ])),
        JSONMember(
            "ServiceOrderCreate",
            object([("items", array(object([("id", string), ("quantity", integer)]))), ("note", string)], required: ["items"])),
        JSONMember(
            "ServiceOrderDecision",
            object([("reason", string), ("items", array(object([("id", string), ("quantity", integer)])))], required: [])),
        JSONMember(
            "ServiceOrder",
            object([
                ("id", string), ("status", enumeration(ServiceOrder.Status.self)), ("requestedBy", string),
                (
                    "items",
                    array(
                        object([
                            ("id", string), ("quantity", integer), ("approved", type("integer", nullable: true)),
                            ("name", type("string", nullable: true)),
                        ]))
                ), ("note", string), ("reason", type("string", nullable: true)), ("createdAt", type("string", nullable: true)),
            ])),
        JSONMember("ServiceOrderList", array(ref("ServiceOrder"))),
        JSONMember(
            "Notifications",
            object([
                ("unread", integer),
                (
                    "items",
                    array(
                        object([
                            ("id", string), ("title", string), ("orderId", type("string", nullable: true)), ("createdAt", string),
                            ("read", boolean),
                        ]))
                ),
            ])),
        JSONMember("CommentCreate", object([("text", string)])),
        JSONMember(
            "Comment", object([("id", string), ("text", string), ("userId", string), ("author", string), ("createdAt", string)])),
        JSONMember("CommentList", array(ref("Comment"))),
        JSONMember(
            "OutsourcingMark",
            object(
                [("lineId", string), ("supplier", string), ("expectedDate", string), ("note", string)], required: ["lineId", "supplier"])),
        JSONMember(
            "OutsourcingUpdate",
            object([("status", enumeration(OutsourcedLine.Status.self)), ("expectedDate", string), ("note", string)], required: ["status"])),
        JSONMember(
            "OutsourcedLine",
            object(
                [
                    ("id", string), ("buildNumber", string), ("lineId", string), ("supplier", string),
                    ("expectedDate", type("string", nullable: true)), ("note", string), ("status", enumeration(OutsourcedLine.Status.self)),
                ])),
        JSONMember("OutsourcedLineList", array(ref("OutsourcedLine"))),
        JSONMember(
            "Shortage",
            object(
                [
                    ("wantBy", string), ("builds", integer), ("truncated", boolean),
                    (
                        "parts",
                        array(
                            object([("id", string), ("name", type("string", nullable: true)), ("quantity", integer), ("builds", integer)]))
                    ),
                ])),
        JSONMember(
            "TaskList",
            array(
                object([
                    ("id", string), ("text", string), ("basin", type("integer", nullable: true)),
                    ("answerType", enumeration(AnswerType.self)), ("options", nullable(array(string))),
                    (
                        "optionLabels",
                        .object([JSONMember("type", ["object", "null"]), JSONMember("additionalProperties", string)])
                    ),
                    ("parts", array(object([("id", string), ("name", type("string", nullable: true)), ("quantity", integer)]))),
                    ("tools", array(string)), ("workInstruction", nullable(ref("WorkInstruction"))), ("done", boolean),
                    ("value", answerValue),
                    ("doneBy", type("string", nullable: true)), ("doneAt", type("string", nullable: true)),
                ]))),
        JSONMember(
            "LotList",
            object([
                ("buildNumber", string),
                (
                    "lines",
                    array(
                        object([
                            ("itemId", string), ("name", type("string", nullable: true)), ("quantity", integer), ("lotTracked", boolean),
                            ("lot", type("string", nullable: true)), ("recordedBy", type("string", nullable: true)),
                            ("recordedAt", type("string", nullable: true)),
                        ]))
                ),
            ])),
        JSONMember("LotRecord", object([("lot", string)])),
        JSONMember("LotTrackingInput", object([("lotTracked", boolean)])),
        JSONMember("LotTracking", object([("itemId", string), ("lotTracked", boolean)])),
        JSONMember("ToolList", array(object([("id", string), ("name", string), ("description", string)]))),
        JSONMember("ToolCreate", object([("name", string), ("description", string)], required: ["name"])),
        JSONMember(
            "WorkInstruction",
            object([
                ("taskItemId", string), ("title", string), ("steps", array(string)), ("safetyNotes", string), ("toolIds", array(string)),
                ("imageDocumentId", type("string", nullable: true)),
            ])),
        JSONMember("WorkInstructionList", array(ref("WorkInstruction"))),
        JSONMember(
            "WorkInstructionInput",
            object(
                [
                    ("title", string), ("steps", array(string)), ("safetyNotes", string), ("toolIds", array(string)),
                    ("imageDocumentId", string),
                ],
                required: ["title", "steps"])),
        JSONMember(
            "TemplateDefinition",
            object([("name", string), ("form", string), ("signatureMeaning", string), ("sections", array(anyObject))], closed: false)),
        JSONMember(
            "DocumentUpload",
            object([
                ("kind", enumeration(Document.Kind.self)),
                ("file", .object([JSONMember("type", "string"), JSONMember("contentMediaType", "application/octet-stream")])),
            ])),
        JSONMember("AccessoryGroups", object([("groups", array(anyObject))])),
        JSONMember(
            "WhereUsed",
            object([
                ("part", string), ("name", type("string", nullable: true)), ("shippedFrom", type("string", nullable: true)),
                ("shippedTo", type("string", nullable: true)),
                (
                    "builds",
                    array(
                        object([
                            ("orderId", string), ("poNumber", string), ("customerName", string), ("buildNumber", string),
                            ("status", enumeration(OrderStatus.self)), ("quantity", integer), ("shippedOn", type("string", nullable: true)),
                            ("lot", type("string", nullable: true)),
                        ]))
                ), ("lot", type("string", nullable: true)), ("truncated", boolean),
            ])),
        JSONMember(
            "Reports",
            object([
                ("months", array(string)),
                (
                    "firstPassYield",
                    array(
                        object([
                            ("checklist", enumeration(ChecklistKind.self)), ("month", string), ("passed", integer), ("total", integer),
                            ("percent", type("number", nullable: true)),
                        ]))
                ),
                ("failingItems", array(object([("item", string), ("failures", integer), ("cumulativePercent", number)]))),
                ("failures", integer),
                (
                    "cycleTimes",
                    array(
                        object([
                            ("status", enumeration(OrderStatus.self)), ("stays", integer), ("medianHours", number), ("p90Hours", number),
                        ]))
                ),
                ("workInProgress", array(object([("status", enumeration(OrderStatus.self)), ("builds", integer)]))),
                (
                    "onTimeDelivery",
                    array(
                        object([("month", string), ("onTime", integer), ("shipped", integer), ("percent", type("number", nullable: true))]))
                ),
                (
                    "overdue",
                    array(
                        object([
                            ("orderId", string), ("poNumber", string), ("customerName", string), ("wantDate", string),
                            ("status", enumeration(OrderStatus.self)),
                        ]))
                ),
                ("overdueCount", integer),
                ("qcWorkload", array(object([("inspector", string), ("preQC", integer), ("finalQC", integer)]))),
            ])),
        JSONMember(
            "SerialSearch",
            object([
                ("serial", string),
                (
                    "matches",
                    array(
                        object([
                            ("serial", string), ("item", string), ("checklist", enumeration(ChecklistKind.self)), ("orderId", string),
                            ("poNumber", string), ("customerName", string), ("buildNumber", string),
                            ("status", enumeration(OrderStatus.self)),
                            ("resultId", string), ("signedAt", string), ("current", boolean),
                        ]))
                ), ("truncated", boolean), ("notBelieved", integer),
            ])),
        JSONMember(
            "CatalogItem",
            object([
                ("id", string), ("kind", string), ("name", string), ("type", string), ("status", string),
                ("categoryCode", type("string", nullable: true)), ("subcategoryCode", type("string", nullable: true)),
                ("canOrder", type("boolean", nullable: true)), ("isKit", type("boolean", nullable: true)),
                ("manufacturerPartNumber", type("string", nullable: true)), ("manufacturerInfo", type("string", nullable: true)),
                ("lotTracked", boolean),
                (
                    "components",
                    array(
                        object([
                            ("partId", string), ("quantity", integer), ("notes", type("string", nullable: true)),
                            ("name", type("string", nullable: true)), ("kind", string),
                        ]))
                ),
            ])),
        JSONMember(
            "CatalogSearch",
            object([
                (
                    "items",
                    array(object([("id", string), ("name", type("string", nullable: true)), ("kind", string), ("type", string)]))
                ), ("total", integer),
            ])),
        JSONMember("CatalogImportRequest", object([("parts", anyObject), ("assemblies", anyObject), ("categories", anyObject)])),
        JSONMember("CatalogImportResult", object([("counts", anyObject), ("gaps", array(string)), ("report", anyObject)])),
        JSONMember(
            "AuditList",
            object([
                (
                    "items",
                    array(
                        object([
                            ("seq", integer), ("at", string), ("userId", type("string", nullable: true)),
                            ("sessionId", type("string", nullable: true)), ("action", string), ("resourceType", string),
                            ("resourceId", type("string", nullable: true)), ("oldValue", anyValue), ("newValue", anyValue),
                            ("outcome", string), ("clientAddress", type("string", nullable: true)),
                            ("requestId", type("string", nullable: true)), ("hash", string),
                        ]))
                ), ("total", integer), ("totalExact", boolean), ("page", integer), ("limit", integer),
            ])),
        JSONMember(
            "AuditVerification",
            object(
                [
                    ("intact", boolean), ("warnings", array(string)), ("checked", integer), ("resultsChecked", integer),
                    ("checkpointSeq", type("integer", nullable: true)), ("firstBroken", type("integer", nullable: true)),
                    ("reason", type("string", nullable: true)),
                ], required: ["intact", "warnings", "checked", "resultsChecked"])),
    ]
}
