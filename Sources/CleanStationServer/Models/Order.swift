import CleanStationCore
import Fluent
import Foundation

final class Order: Model, @unchecked Sendable {
    static let schema = "orders"

    @ID(key: .id) var id: UUID?
    @Field(key: "po_number") var poNumber: String
    @Field(key: "customer_name") var customerName: String
    @OptionalField(key: "project_name") var projectName: String?
    @Field(key: "sales_person") var salesPerson: String
    /// Who to call at the customer's (editable at any status before SHIPPED).
    @OptionalField(key: "customer_contact") var customerContact: String?
    @Field(key: "want_date") var wantDate: String
    @Enum(key: "language") var language: Language
    @Field(key: "notes") var notes: String
    @Enum(key: "sink_family") var sinkFamily: SinkFamily
    /// Derived: the least advanced of its builds (`Lifecycle.orderStatus`), kept here for the lists.
    @Enum(key: "status") var status: OrderStatus
    /// How many builds stand in each status when they differ (`Lifecycle.breakdownText`), else nil.
    @OptionalField(key: "status_breakdown") var statusBreakdown: String?
    /// Lower-case PO, customer, project and build numbers, for `q`.
    @Field(key: "search_text") var searchText: String
    /// The builds' numbers in order, comma-separated, for the list.
    @Field(key: "build_numbers") var buildNumbers: String
    @Parent(key: "created_by") var createdBy: User
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Children(for: \.$order) var builds: [Build]
    @Children(for: \.$order) var history: [OrderHistoryEntry]

    init() {}
}
