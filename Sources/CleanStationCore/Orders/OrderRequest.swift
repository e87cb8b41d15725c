import Foundation

/// The sink families Torvan makes; only MDRD can be ordered so far.
public enum SinkFamily: String, Sendable, Hashable, CaseIterable, Codable {
    case mdrd = "MDRD"
    case endoscope = "ENDOSCOPE"
    case instroSink = "INSTROSINK"

    public var isSupported: Bool { self == .mdrd }
}

/// The body of `POST /api/v1/orders`, read and validated as a whole:
/// order fields (domain.md, security.md limits) and every build through
/// `SinkConfiguration.read`, all errors at once.
public struct OrderRequest: Sendable, Hashable {
    public var poNumber: String
    public var customerName: String
    public var projectName: String?
    public var salesPerson: String
    public var wantDate: String
    public var language: Language
    public var notes: String
    public var sinkFamily: SinkFamily
    public var builds: [SinkConfiguration]

    static let fields: Set<String> = [
        "poNumber", "customerName", "projectName", "salesPerson", "wantDate", "language", "notes", "sinkFamily", "builds",
    ]
    public static let maximumBuilds = 50

    public init(
        poNumber: String, customerName: String, projectName: String?, salesPerson: String, wantDate: String, language: Language,
        notes: String, sinkFamily: SinkFamily, builds: [SinkConfiguration]
    ) {
        self.poNumber = poNumber
        self.customerName = customerName
        self.projectName = projectName
        self.salesPerson = salesPerson
        self.wantDate = wantDate
        self.language = language
        self.notes = notes
        self.sinkFamily = sinkFamily
        self.builds = builds
    }
    public static let maximumNotes = 2_000

    /// Reads a whole order; `today` is the UTC date `wantDate` must follow.
    public static func read(_ json: JSONValue, today: String) -> Result<OrderRequest, ValidationError> {
        var reader = JSONFieldReader()
        guard let object = reader.object(json, at: .root, allowedKeys: fields) else { return .failure(ValidationError(reader.errors)) }
        let header = readHeader(object, today: today, required: true, &reader)
        let builds = readBuilds(object, required: true, &reader)
        guard reader.errors.isEmpty, let poNumber = header.poNumber, let customerName = header.customerName,
            let salesPerson = header.salesPerson, let wantDate = header.wantDate, let language = header.language,
            let sinkFamily = header.sinkFamily, let builds
        else { return .failure(ValidationError(reader.errors)) }
        return .success(
            OrderRequest(
                poNumber: poNumber, customerName: customerName, projectName: header.projectName ?? nil, salesPerson: salesPerson,
                wantDate: wantDate, language: language, notes: header.notes ?? "", sinkFamily: sinkFamily, builds: builds))
    }

    /// The fields of an order other than its builds; `nil` where absent or wrong.
    struct Header {
        var poNumber: String?
        var customerName: String?
        var projectName: String??
        var salesPerson: String?
        var wantDate: String?
        var language: Language?
        var notes: String?
        var sinkFamily: SinkFamily?
    }

    static func readHeader(_ object: JSONObjectFields, today: String, required: Bool, _ reader: inout JSONFieldReader) -> Header {
        var header = Header()
        let path = object.path
        header.poNumber = reader.member(object, "poNumber", required: required).flatMap { value -> String? in
            guard let text = reader.string(value, at: path.key("poNumber")) else { return nil }
            let upper = text.uppercased()
            guard (3...50).contains(upper.count), upper.unicodeScalars.allSatisfy(Self.isPOCharacter) else {
                reader.fail(path.key("poNumber"), "must be 3 to 50 letters, digits, '-' or '_'")
                return nil
            }
            return upper
        }
        header.customerName = text(object, "customerName", minimum: 3, maximum: 200, required: required, &reader)
        if let value = reader.member(object, "projectName", required: false) {
            header.projectName = .some(text(value, at: path.key("projectName"), minimum: 3, maximum: 200, &reader))
        } else if object.values["projectName"] != nil {
            header.projectName = .some(nil)
        }
        header.salesPerson = text(object, "salesPerson", minimum: 3, maximum: 200, required: required, &reader)
        header.wantDate = reader.member(object, "wantDate", required: required).flatMap { value -> String? in
            guard let text = reader.string(value, at: path.key("wantDate")) else { return nil }
            guard Self.isCalendarDate(text) else {
                reader.fail(path.key("wantDate"), "must be a date as YYYY-MM-DD")
                return nil
            }
            guard text > today else {
                reader.fail(path.key("wantDate"), "must be after today (\(today))")
                return nil
            }
            return text
        }
        header.language = reader.member(object, "language", required: required).flatMap {
            reader.enumeration(Language.self, $0, at: path.key("language"))
        }
        if let value = reader.member(object, "notes", required: false) {
            header.notes = text(value, at: path.key("notes"), minimum: 0, maximum: maximumNotes, &reader)
        }
        header.sinkFamily = reader.member(object, "sinkFamily", required: required).flatMap { value -> SinkFamily? in
            guard let family = reader.enumeration(SinkFamily.self, value, at: path.key("sinkFamily")) else { return nil }
            guard family.isSupported else {
                reader.fail(path.key("sinkFamily"), "the \(family.rawValue) family is not yet supported")
                return nil
            }
            return family
        }
        return header
    }

    static func readBuilds(_ object: JSONObjectFields, required: Bool, _ reader: inout JSONFieldReader) -> [SinkConfiguration]? {
        let path = object.path.key("builds")
        guard let value = reader.member(object, "builds", required: required), let elements = reader.array(value, at: path) else {
            return nil
        }
        guard (1...maximumBuilds).contains(elements.count) else {
            reader.fail(path, "an order has 1 to \(maximumBuilds) builds, not \(elements.count)")
            return nil
        }
        var builds: [SinkConfiguration?] = []
        var seen: [String: Int] = [:]
        for (index, element) in elements.enumerated() {
            var build = SinkConfiguration.read(element, at: path.index(index), reader: &reader)
            if let number = build?.buildNumber.uppercased() {
                build?.buildNumber = number
                if let first = seen[number] {
                    reader.fail(path.index(index).key("buildNumber"), "\(number) is already builds[\(first)] of this order")
                } else {
                    seen[number] = index
                }
            }
            builds.append(build)
        }
        let read = builds.compactMap { $0 }
        return read.count == builds.count ? read : nil
    }

    private static func text(
        _ object: JSONObjectFields, _ key: String, minimum: Int, maximum: Int, required: Bool, _ reader: inout JSONFieldReader
    ) -> String? {
        reader.member(object, key, required: required).flatMap {
            text($0, at: object.path.key(key), minimum: minimum, maximum: maximum, &reader)
        }
    }

    private static func text(_ value: JSONValue, at path: JSONPath, minimum: Int, maximum: Int, _ reader: inout JSONFieldReader) -> String?
    {
        guard let raw = reader.string(value, at: path) else { return nil }
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count >= minimum else {
            reader.fail(path, "must have at least \(minimum) characters")
            return nil
        }
        guard text.count <= maximum else {
            reader.fail(path, "must have at most \(maximum) characters")
            return nil
        }
        return text
    }

    private static func isPOCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
    }

    /// `YYYY-MM-DD` naming a real calendar day.
    public static func isCalendarDate(_ text: String) -> Bool {
        PlantTime.daysSince1970(text) != nil
    }

    /// The calendar day on the plant's clock (`PlantTime`), as `YYYY-MM-DD`.
    public static func today(_ now: Date = Date(), in zone: TimeZone = PlantTime.zone) -> String {
        PlantTime.day(of: PlantTime.onTheClock(of: zone, now))
    }
}

/// The body of `PATCH /api/v1/orders/{id}`: any order field, and `builds`
/// to replace every build (their BOMs are generated anew).
public struct OrderUpdate: Sendable, Hashable {
    public var poNumber: String?
    public var customerName: String?
    public var projectName: String??
    public var salesPerson: String?
    public var wantDate: String?
    public var language: Language?
    public var notes: String?
    /// `.some(nil)` clears it.
    public var customerContact: String??
    public var builds: [SinkConfiguration]?

    /// Whether it changes only what may change after the order was made
    /// (want date, notes, project name, customer contact): anything else
    /// is edited while the order is ORDER_CREATED.
    public var headerOnly: Bool {
        poNumber == nil && customerName == nil && salesPerson == nil && language == nil && builds == nil
    }

    public static func read(_ json: JSONValue, today: String) -> Result<OrderUpdate, ValidationError> {
        var reader = JSONFieldReader()
        guard
            let object = reader.object(
                json, at: .root, allowedKeys: OrderRequest.fields.subtracting(["sinkFamily"]).union(["customerContact"]))
        else {
            return .failure(ValidationError(reader.errors))
        }
        let header = OrderRequest.readHeader(object, today: today, required: false, &reader)
        var customerContact: String??
        if let value = reader.member(object, "customerContact", required: false) {
            let text = reader.string(value, at: .root.key("customerContact"))?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let text, text.count > 200 { reader.fail(.root.key("customerContact"), "must have at most 200 characters") }
            customerContact = .some(text?.isEmpty == false ? text : nil)
        } else if object.values["customerContact"] != nil {
            customerContact = .some(nil)
        }
        let builds = OrderRequest.readBuilds(object, required: false, &reader)
        guard reader.errors.isEmpty else { return .failure(ValidationError(reader.errors)) }
        return .success(
            OrderUpdate(
                poNumber: header.poNumber, customerName: header.customerName, projectName: header.projectName,
                salesPerson: header.salesPerson, wantDate: header.wantDate, language: header.language, notes: header.notes,
                customerContact: customerContact, builds: builds))
    }
}
